package dev.redisstarter.cache;

import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisUnavailableException;

/**
 * Redis failed and the cache is configured to say so rather than fall back to the loader. A
 * {@link RedisUnavailableException}, like every capability's "Redis unavailable" exception.
 */
public class CacheUnavailableException extends RedisUnavailableException {

	/**
	 * A failure.
	 * @param key the cache key
	 * @param cause what the client reported
	 */
	public CacheUnavailableException(String key, Throwable cause) {
		super("Cache entry " + Masking.mask(key) + " cannot be used: Redis is unavailable (" + cause.getMessage() + ")", cause);
	}

}
