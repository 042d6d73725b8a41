package dev.redisstarter.lock;

import java.util.List;

import dev.redisstarter.core.LuaScript;

/**
 * The lock's scripts, loaded once per {@link RedisDistributedLock}.
 *
 * @param acquire takes the lock and issues a fencing token ({@code acquire.lua})
 * @param release owner-checked delete plus a release notice ({@code release.lua})
 * @param extend owner-checked lease extension ({@code extend.lua})
 * @param stopWaiting a waiter that gives up leaves the waiter count ({@code stop-waiting.lua})
 * @param handoff the owner hands the lock to the next waiter of its instance ({@code handoff.lua})
 */
@SuppressWarnings("rawtypes")
record LockScripts(LuaScript<List> acquire, LuaScript<Long> release, LuaScript<Long> extend,
		LuaScript<Long> stopWaiting, LuaScript<List> handoff) {

	static LockScripts load() {
		String directory = "dev/redisstarter/lock/";
		return new LockScripts(LuaScript.load(directory + "acquire.lua", List.class),
				LuaScript.load(directory + "release.lua", Long.class), LuaScript.load(directory + "extend.lua", Long.class),
				LuaScript.load(directory + "stop-waiting.lua", Long.class), LuaScript.load(directory + "handoff.lua", List.class));
	}

}
