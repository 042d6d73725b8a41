package dev.redisstarter.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * A cache's near cache: a bounded local tier in front of Redis in each instance, dropped key by key when any
 * instance writes through the starter, and dropped whole when this instance stops hearing those notices.
 *
 * @param enabled whether the cache has a local tier
 * @param maxEntries how many entries the tier holds at most (used when {@code maxBytes} is 0)
 * @param maxBytes how many bytes of stored values the tier holds at most, or 0 to bound it by entries
 * @param maxTime how long a local copy is served at most, however long it lives in Redis (a write that bypasses
 * the starter, or a value evicted from Redis, is seen at the latest after this)
 */
public record NearCachePolicy(boolean enabled, long maxEntries, long maxBytes, Duration maxTime) {

	/** No local tier; 10,000 entries, 5 minutes when turned on. */
	public static final NearCachePolicy OFF = new NearCachePolicy(false, 10_000, 0, Duration.ofMinutes(5));

	/**
	 * Checks the policy.
	 * @param enabled on or off
	 * @param maxEntries entry bound, at least 1
	 * @param maxBytes byte bound, 0 for none
	 * @param maxTime local life bound, at least 1 ms
	 */
	public NearCachePolicy {
		Objects.requireNonNull(maxTime, "maxTime must not be null");
		if (maxEntries < 1) {
			throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
		}
		if (maxBytes < 0) {
			throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
		}
		if (maxTime.toMillis() < 1) {
			throw new IllegalArgumentException("maxTime must be at least 1 ms, was " + maxTime);
		}
	}

	/**
	 * This policy turned on or off.
	 * @param enabled on or off
	 * @return a new policy
	 */
	public NearCachePolicy withEnabled(boolean enabled) {
		return new NearCachePolicy(enabled, this.maxEntries, this.maxBytes, this.maxTime);
	}

}
