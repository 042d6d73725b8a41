package dev.redisstarter.cache;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How one cache's entries live: the defaults under {@code redis.starter.cache.*}, or one cache's under
 * {@code redis.starter.cache.caches.<name>.*}.
 *
 * @param ttl time to live of entries written without one ({@code @TaggedCacheable}, the Spring Cache bridge);
 * {@code null} in a cache's own policy when it is not configured there
 * @param nullTtl how long a loader's {@code null} is cached as "absent" (negative caching)
 * @param ttlJitter spreads every time to live by up to this fraction either way (0 to 0.5), so that entries
 * written together do not expire together
 * @param earlyRefresh whether a hit may reload the entry before it expires, with a probability that grows as
 * expiry nears and with the time its load took (Vattani, Chierichetti and Lowenstein, VLDB 2015)
 * @param earlyRefreshBeta how eagerly: 1 is the paper's optimum, above 1 refreshes earlier
 * @param near the cache's local tier ({@link NearCachePolicy#OFF}: none)
 */
public record CachePolicy(@Nullable Duration ttl, Duration nullTtl, double ttlJitter, boolean earlyRefresh,
		double earlyRefreshBeta, NearCachePolicy near) {

	/** 10 minutes, 1 minute for nulls, 10% jitter, no early refresh (beta 1 when turned on), no near cache. */
	public static final CachePolicy DEFAULTS = new CachePolicy(Duration.ofMinutes(10), Duration.ofMinutes(1), 0.1,
			false, 1.0);

	/**
	 * A policy without a near cache.
	 * @param ttl time to live, or {@code null}
	 * @param nullTtl null TTL
	 * @param ttlJitter jitter fraction
	 * @param earlyRefresh early refresh on or off
	 * @param earlyRefreshBeta early refresh eagerness
	 */
	public CachePolicy(@Nullable Duration ttl, Duration nullTtl, double ttlJitter, boolean earlyRefresh,
			double earlyRefreshBeta) {
		this(ttl, nullTtl, ttlJitter, earlyRefresh, earlyRefreshBeta, NearCachePolicy.OFF);
	}

	/**
	 * Checks the policy.
	 * @param ttl time to live, or {@code null}
	 * @param nullTtl null TTL
	 * @param ttlJitter jitter fraction
	 * @param earlyRefresh early refresh on or off
	 * @param earlyRefreshBeta early refresh eagerness
	 * @param near the near cache
	 */
	public CachePolicy {
		Objects.requireNonNull(nullTtl, "nullTtl must not be null");
		Objects.requireNonNull(near, "near must not be null");
		if (ttl != null && ttl.toMillis() < 1) {
			throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
		}
		if (nullTtl.toMillis() < 1) {
			throw new IllegalArgumentException("nullTtl must be at least 1 ms, was " + nullTtl);
		}
		if (!(ttlJitter >= 0 && ttlJitter <= 0.5)) {
			throw new IllegalArgumentException("ttlJitter must be between 0 and 0.5, was " + ttlJitter);
		}
		if (!(earlyRefreshBeta > 0 && earlyRefreshBeta <= 100)) {
			throw new IllegalArgumentException("earlyRefreshBeta must be above 0 and at most 100, was " + earlyRefreshBeta);
		}
	}

	/**
	 * This policy with another null TTL.
	 * @param nullTtl how long a null is cached
	 * @return a new policy
	 */
	public CachePolicy withNullTtl(Duration nullTtl) {
		return new CachePolicy(this.ttl, nullTtl, this.ttlJitter, this.earlyRefresh, this.earlyRefreshBeta, this.near);
	}

	/**
	 * This policy with another jitter.
	 * @param ttlJitter the fraction
	 * @return a new policy
	 */
	public CachePolicy withTtlJitter(double ttlJitter) {
		return new CachePolicy(this.ttl, this.nullTtl, ttlJitter, this.earlyRefresh, this.earlyRefreshBeta, this.near);
	}

	/**
	 * This policy with early refresh on or off.
	 * @param earlyRefresh on or off
	 * @param beta how eagerly (1 is the paper's optimum)
	 * @return a new policy
	 */
	public CachePolicy withEarlyRefresh(boolean earlyRefresh, double beta) {
		return new CachePolicy(this.ttl, this.nullTtl, this.ttlJitter, earlyRefresh, beta, this.near);
	}

	/**
	 * This policy with another near cache.
	 * @param near the near cache ({@link NearCachePolicy#OFF} for none)
	 * @return a new policy
	 */
	public CachePolicy withNear(NearCachePolicy near) {
		return new CachePolicy(this.ttl, this.nullTtl, this.ttlJitter, this.earlyRefresh, this.earlyRefreshBeta, near);
	}

	/**
	 * A time to live with this policy's jitter applied, so that entries written together do not expire together.
	 * @param ttl the time to live, at least 1 ms
	 * @return in ms, at least 1
	 */
	public long jitteredTtlMillis(@Nullable Duration ttl) {
		if (ttl == null || ttl.toMillis() < 1) {
			throw new IllegalArgumentException("A cache time to live must be at least 1 ms, was " + ttl);
		}
		double spread = this.ttlJitter * (2 * java.util.concurrent.ThreadLocalRandom.current().nextDouble() - 1);
		return Math.max(1, Math.round(ttl.toMillis() * (1 + spread)));
	}

}
