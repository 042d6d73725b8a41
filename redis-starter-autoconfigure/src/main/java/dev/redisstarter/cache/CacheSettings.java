package dev.redisstarter.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RedisCacheService} caches.
 *
 * @param nullTtl how long a loader's {@code null} is cached as "absent" (negative caching)
 * @param ttlJitter spreads every time to live by up to this fraction either way (0 to 0.5), so that entries
 * written together do not expire together
 * @param loadTimeout how long a loader may hold the cross-instance load lock for a key
 * @param waitTimeout how long a caller that missed waits for another instance's load before loading itself
 * @param pollInterval how often such a caller looks for the value
 * @param failOnRedisDown whether a Redis failure is thrown (true) or answered by calling the loader (false)
 */
public record CacheSettings(Duration nullTtl, double ttlJitter, Duration loadTimeout, Duration waitTimeout,
		Duration pollInterval, boolean failOnRedisDown) {

	/** 1 minute null TTL, 10% jitter, 10 s load lock, 5 s wait, 20 ms polls, loader on Redis failure. */
	public static final CacheSettings DEFAULTS = new CacheSettings(Duration.ofMinutes(1), 0.1, Duration.ofSeconds(10),
			Duration.ofSeconds(5), Duration.ofMillis(20), false);

	/**
	 * Checks the settings.
	 * @param nullTtl null TTL
	 * @param ttlJitter jitter fraction
	 * @param loadTimeout load lock lease
	 * @param waitTimeout wait for another load
	 * @param pollInterval poll interval while waiting
	 * @param failOnRedisDown throw on Redis failure
	 */
	public CacheSettings {
		Objects.requireNonNull(nullTtl, "nullTtl must not be null");
		Objects.requireNonNull(loadTimeout, "loadTimeout must not be null");
		Objects.requireNonNull(waitTimeout, "waitTimeout must not be null");
		Objects.requireNonNull(pollInterval, "pollInterval must not be null");
		if (!(ttlJitter >= 0 && ttlJitter <= 0.5)) {
			throw new IllegalArgumentException("ttlJitter must be between 0 and 0.5, was " + ttlJitter);
		}
		if (nullTtl.toMillis() < 1 || loadTimeout.toMillis() < 1 || pollInterval.toMillis() < 1 || waitTimeout.isNegative()) {
			throw new IllegalArgumentException("nullTtl, loadTimeout and pollInterval must be positive, waitTimeout not negative");
		}
	}

	/**
	 * These settings with another null TTL.
	 * @param nullTtl how long a null is cached
	 * @return new settings
	 */
	public CacheSettings withNullTtl(Duration nullTtl) {
		return new CacheSettings(nullTtl, this.ttlJitter, this.loadTimeout, this.waitTimeout, this.pollInterval,
				this.failOnRedisDown);
	}

	/**
	 * These settings with another jitter.
	 * @param ttlJitter the fraction
	 * @return new settings
	 */
	public CacheSettings withTtlJitter(double ttlJitter) {
		return new CacheSettings(this.nullTtl, ttlJitter, this.loadTimeout, this.waitTimeout, this.pollInterval,
				this.failOnRedisDown);
	}

}
