package dev.redisstarter.lock;

import java.util.List;

import dev.redisstarter.core.LuaScript;

/**
 * The semaphore's scripts, loaded once per {@link RedisSemaphore}.
 *
 * @param acquire takes permits when enough are free, purging ended leases ({@code semaphore-acquire.lua})
 * @param extend extends a holder's permits still held ({@code semaphore-extend.lua})
 * @param release gives back a holder's own permits ({@code semaphore-release.lua})
 * @param held whether a holder still holds its permits ({@code semaphore-held.lua})
 */
@SuppressWarnings("rawtypes")
record SemaphoreScripts(LuaScript<List> acquire, LuaScript<Long> extend, LuaScript<Long> release, LuaScript<Long> held) {

	private static final String DIRECTORY = "dev/redisstarter/lock/";

	static SemaphoreScripts load() {
		return new SemaphoreScripts(LuaScript.load(DIRECTORY + "semaphore-acquire.lua", List.class),
				LuaScript.load(DIRECTORY + "semaphore-extend.lua", Long.class),
				LuaScript.load(DIRECTORY + "semaphore-release.lua", Long.class),
				LuaScript.load(DIRECTORY + "semaphore-held.lua", Long.class));
	}

}
