package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.LuaScript;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * The lock that lets one instance at a time load a missing key ({@code <prefix>cache::lock:<key>}, expiring
 * after the load timeout, released only by its owner). Each attempt also tells the server's time, which
 * marks when a load started (see {@code tag-version.lua}).
 */
final class LoadLock {

	private static final LuaScript<Object> LOCK = LuaScript.load("dev/redisstarter/cache/load-lock.lua", Object.class);

	private static final LuaScript<Object> UNLOCK = LuaScript.load("dev/redisstarter/cache/unlock.lua", Object.class);

	private final CacheCommands commands;

	private final KeyNaming keys;

	private final byte[] leaseMillis;

	private final String instanceId = UUID.randomUUID().toString();

	private final AtomicLong attempts = new AtomicLong();

	LoadLock(CacheCommands commands, KeyNaming keys, long leaseMillis) {
		this.commands = commands;
		this.keys = keys;
		this.leaseMillis = utf8(Long.toString(leaseMillis));
	}

	/** Tries the lock once for a new owner id. */
	Attempt tryLock(String key) {
		byte[] owner = utf8(this.instanceId + ":" + this.attempts.incrementAndGet());
		return Attempt.of(this.commands.script(LOCK, new byte[][] { lockKey(key) }, owner, this.leaseMillis), owner);
	}

	void unlock(String key, Attempt attempt) {
		this.commands.script(UNLOCK, new byte[][] { lockKey(key) }, attempt.owner());
	}

	private byte[] lockKey(String key) {
		return utf8(EntryStore.internalKey(this.keys, "lock", key));
	}

	/** One try: whether it was taken, by which owner id, and the server time it was tried at. */
	record Attempt(boolean taken, byte[] owner, long serverMicros) {

		/** Reads what {@code load-lock.lua} returns, {@code {1 if taken else 0, the server time in microseconds}}. */
		static Attempt of(List<?> reply, byte[] owner) {
			return new Attempt(((Long) reply.get(0)) == 1L, owner,
					Long.parseLong(new String((byte[]) reply.get(1), StandardCharsets.UTF_8)));
		}

	}

}
