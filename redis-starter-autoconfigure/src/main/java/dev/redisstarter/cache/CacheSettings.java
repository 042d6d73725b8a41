package dev.redisstarter.cache;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How a {@link RedisCacheService} caches.
 *
 * @param defaults the policy of every cache without one of its own
 * @param caches policies by cache name (the part of a key before its first {@code ':'}), complete: fields a
 * cache does not configure are the defaults'
 * @param loadTimeout how long a loader may hold the cross-instance load lock for a key
 * @param waitTimeout how long a caller that missed waits for another instance's load before loading itself
 * @param pollInterval how often such a caller looks for the value
 * @param failOnRedisDown whether a Redis failure is thrown (true) or answered by calling the loader (false)
 * @param localTagVersions whether tag versions are kept locally, fresh by pub/sub, so that a tagged hit is one
 * round trip (false: every tagged hit also reads its tags' versions from Redis)
 */
public record CacheSettings(CachePolicy defaults, Map<String, CachePolicy> caches, Duration loadTimeout,
		Duration waitTimeout, Duration pollInterval, boolean failOnRedisDown, boolean localTagVersions) {

	/** {@link CachePolicy#DEFAULTS}, 10 s load lock, 5 s wait, 20 ms polls, loader on Redis failure, local versions. */
	public static final CacheSettings DEFAULTS = new CacheSettings(CachePolicy.DEFAULTS, Map.of(),
			Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(20), false, true);

	/**
	 * Checks the settings.
	 * @param defaults default policy
	 * @param caches policies by cache
	 * @param loadTimeout load lock lease
	 * @param waitTimeout wait for another load
	 * @param pollInterval poll interval while waiting
	 * @param failOnRedisDown throw on Redis failure
	 * @param localTagVersions keep tag versions locally
	 */
	public CacheSettings {
		Objects.requireNonNull(defaults, "defaults must not be null");
		if (defaults.ttl() == null) {
			throw new IllegalArgumentException("The default policy needs a time to live");
		}
		caches = Map.copyOf(caches);
		Objects.requireNonNull(loadTimeout, "loadTimeout must not be null");
		Objects.requireNonNull(waitTimeout, "waitTimeout must not be null");
		Objects.requireNonNull(pollInterval, "pollInterval must not be null");
		if (loadTimeout.toMillis() < 1 || pollInterval.toMillis() < 1 || waitTimeout.isNegative()) {
			throw new IllegalArgumentException("loadTimeout and pollInterval must be positive, waitTimeout not negative");
		}
	}

	/**
	 * The policy of a cache.
	 * @param cache the cache's name
	 * @return its own policy, or the defaults
	 */
	public CachePolicy policy(String cache) {
		CachePolicy own = this.caches.get(cache);
		return (own != null) ? own : this.defaults;
	}

	/**
	 * The time to live of an entry of a cache: the cache's own from configuration, else the one the code asks
	 * for, else the default. Configuration wins so that operators can tune a cache without a release.
	 * @param cache the cache's name
	 * @param requested what the code asks for, or {@code null}
	 * @return the time to live
	 */
	public Duration ttl(String cache, @Nullable Duration requested) {
		CachePolicy own = this.caches.get(cache);
		if (own != null && own.ttl() != null) {
			return own.ttl();
		}
		return (requested != null) ? requested : Objects.requireNonNull(this.defaults.ttl());
	}

	/**
	 * These settings with another default policy.
	 * @param defaults the policy
	 * @return new settings
	 */
	public CacheSettings withDefaults(CachePolicy defaults) {
		return new CacheSettings(defaults, this.caches, this.loadTimeout, this.waitTimeout, this.pollInterval,
				this.failOnRedisDown, this.localTagVersions);
	}

	/**
	 * These settings with policies by cache.
	 * @param caches the policies
	 * @return new settings
	 */
	public CacheSettings withCaches(Map<String, CachePolicy> caches) {
		return new CacheSettings(this.defaults, caches, this.loadTimeout, this.waitTimeout, this.pollInterval,
				this.failOnRedisDown, this.localTagVersions);
	}

	/**
	 * These settings with local tag versions on or off.
	 * @param localTagVersions on or off
	 * @return new settings
	 */
	public CacheSettings withLocalTagVersions(boolean localTagVersions) {
		return new CacheSettings(this.defaults, this.caches, this.loadTimeout, this.waitTimeout, this.pollInterval,
				this.failOnRedisDown, localTagVersions);
	}

	/**
	 * These settings with another null TTL by default.
	 * @param nullTtl how long a null is cached
	 * @return new settings
	 */
	public CacheSettings withNullTtl(Duration nullTtl) {
		return withDefaults(this.defaults.withNullTtl(nullTtl));
	}

	/**
	 * These settings with another jitter by default.
	 * @param ttlJitter the fraction
	 * @return new settings
	 */
	public CacheSettings withTtlJitter(double ttlJitter) {
		return withDefaults(this.defaults.withTtlJitter(ttlJitter));
	}

}
