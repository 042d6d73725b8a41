package dev.redisstarter.session;

import dev.redisstarter.core.LuaScript;

/**
 * The session scripts, loaded once per service.
 *
 * @param create {@code create.lua}
 * @param read {@code read.lua}
 * @param update {@code update.lua}
 * @param rotate {@code rotate.lua}
 * @param destroy {@code destroy.lua}
 * @param list {@code list.lua}
 * @param save {@code save.lua}, the Spring Session bridge's save
 */
record SessionScripts(LuaScript<?> create, LuaScript<?> read, LuaScript<?> update, LuaScript<?> rotate,
		LuaScript<?> destroy, LuaScript<?> list, LuaScript<?> save) {

	static SessionScripts load() {
		return new SessionScripts(load("create"), load("read"), load("update"), load("rotate"), load("destroy"),
				load("list"), load("save"));
	}

	private static LuaScript<?> load(String name) {
		return LuaScript.load("dev/redisstarter/session/" + name + ".lua", Object.class);
	}

}
