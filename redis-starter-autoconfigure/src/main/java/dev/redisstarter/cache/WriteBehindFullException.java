package dev.redisstarter.cache;

import dev.redisstarter.core.Masking;

/**
 * A write to a write-behind cache was refused: its partition's stream holds {@code max-backlog} writes not persisted
 * yet (the writer is down or slower than the writes). Nothing was written; the caller may retry later.
 */
public class WriteBehindFullException extends RuntimeException {

	/**
	 * A refusal.
	 * @param key the cache key
	 * @param maxBacklog the bound reached
	 */
	public WriteBehindFullException(String key, long maxBacklog) {
		super("Write-behind of " + Masking.mask(key) + " refused: its partition holds " + maxBacklog
				+ " writes not persisted yet (redis.starter.cache.caches.<name>.write-behind.max-backlog)");
	}

}
