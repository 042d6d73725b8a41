package dev.redisstarter.cache;

import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * The producer side of write-behind: each write or delete of a write-behind cache is one {@code write-behind.lua} call
 * that stores the entry and appends the write to its partition's stream together ({@link WriteBehindKeys}). A write
 * is acknowledged only when both hold it; a failure is thrown, never served around as other cache writes are, since
 * the caller's data would be lost.
 */
final class WriteBehindLog {

	private static final LuaScript<Object> WRITE = LuaScript.load("dev/redisstarter/cache/write-behind.lua", Object.class);

	private static final byte[] SET = utf8("set");

	private static final byte[] DELETE = utf8("del");

	private static final byte[] NOTHING = new byte[0];

	private final RedisCalls calls;

	private final WriteBehindKeys keys;

	WriteBehindLog(RedisCalls calls, WriteBehindKeys keys) {
		this.calls = calls;
		this.keys = keys;
	}

	/** The policy of a key's cache, or {@code null} when the cache is not write-behind. */
	@Nullable WriteBehindPolicy policy(String cache) {
		return this.keys.settings().policy(cache);
	}

	/** The entry key of a key of a write-behind cache, or {@code null} when its cache is not write-behind. */
	@Nullable String entryKey(String key) {
		if (this.keys.settings().caches().isEmpty()) {
			return null;
		}
		String cache = CacheMetrics.cacheOf(key);
		WriteBehindPolicy policy = policy(cache);
		return (policy != null) ? this.keys.entry(cache, policy, key) : null;
	}

	/**
	 * Stores a value and appends its write.
	 * @param key the cache key
	 * @param json the value's JSON
	 * @param entry the cache entry to store
	 * @param ttlMillis the entry's life
	 * @return the write's entry id
	 */
	String set(String key, byte[] json, byte[] entry, long ttlMillis) {
		return append(key, SET, json, entry, ttlMillis);
	}

	/**
	 * Stores "absent" and appends a delete.
	 * @param key the cache key
	 * @param absent the cache's "absent" entry
	 * @param ttlMillis its life
	 * @return the write's entry id
	 */
	String delete(String key, byte[] absent, long ttlMillis) {
		return append(key, DELETE, NOTHING, absent, ttlMillis);
	}

	private String append(String key, byte[] op, byte[] json, byte[] entry, long ttlMillis) {
		String cache = CacheMetrics.cacheOf(key);
		WriteBehindPolicy policy = this.keys.settings().policy(cache);
		if (policy == null) {
			throw new IllegalStateException("Cache '" + cache + "' is not write-behind");
		}
		int partition = this.keys.partition(key, policy);
		byte[] reply;
		try {
			reply = this.calls.script(WRITE, ScriptOutputType.VALUE, 3, utf8(this.keys.entry(cache, policy, key)),
					utf8(this.keys.stream(cache, partition)), utf8(this.keys.latest(cache, partition)), utf8(key), op,
					json, entry, utf8(Long.toString(ttlMillis)), utf8(Long.toString(policy.maxBacklog())));
		}
		catch (DataAccessException ex) {
			throw new CacheUnavailableException(key, ex);
		}
		if (reply == null) {
			throw new WriteBehindFullException(key, policy.maxBacklog());
		}
		return new String(reply, java.nio.charset.StandardCharsets.UTF_8);
	}

}
