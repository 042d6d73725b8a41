package dev.redisstarter.lock;

import java.util.List;

import dev.redisstarter.core.LuaScript;

/**
 * The read/write lock's scripts, loaded once per {@link RedisReadWriteLock}.
 *
 * @param readAcquire grants a read lease unless a writer holds or waits ({@code read-acquire.lua})
 * @param readExtend extends a read lease still held ({@code read-extend.lua})
 * @param readRelease ends a read lease ({@code read-release.lua})
 * @param readHeld whether a read lease is still held ({@code read-held.lua})
 * @param writeAcquire takes the write lease, or records a waiting writer ({@code write-acquire.lua})
 * @param writeExtend owner-checked extension of the write lease (the exclusive lock's {@code extend.lua})
 * @param writeRelease owner-checked end of the write lease ({@code write-release.lua})
 */
@SuppressWarnings("rawtypes")
record ReadWriteScripts(LuaScript<List> readAcquire, LuaScript<Long> readExtend, LuaScript<Long> readRelease,
		LuaScript<Long> readHeld, LuaScript<List> writeAcquire, LuaScript<Long> writeExtend,
		LuaScript<Long> writeRelease) {

	private static final String DIRECTORY = "dev/redisstarter/lock/";

	static ReadWriteScripts load() {
		return new ReadWriteScripts(LuaScript.load(DIRECTORY + "read-acquire.lua", List.class), integer("read-extend.lua"),
				integer("read-release.lua"), integer("read-held.lua"), LuaScript.load(DIRECTORY + "write-acquire.lua", List.class),
				integer("extend.lua"), integer("write-release.lua"));
	}

	private static LuaScript<Long> integer(String file) {
		return LuaScript.load(DIRECTORY + file, Long.class);
	}

}
