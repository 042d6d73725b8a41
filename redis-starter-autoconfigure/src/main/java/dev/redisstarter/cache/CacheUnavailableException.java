package dev.redisstarter.cache;

import dev.redisstarter.core.Masking;

/** Redis failed and the cache is configured to say so rather than fall back to the loader. */
public class CacheUnavailableException extends RuntimeException {

	/**
	 * A failure.
	 * @param key the cache key
	 * @param cause what the client reported
	 */
	public CacheUnavailableException(String key, Throwable cause) {
		super("Cache entry " + Masking.mask(key) + " cannot be used: Redis is unavailable (" + cause.getMessage() + ")", cause);
	}

}
