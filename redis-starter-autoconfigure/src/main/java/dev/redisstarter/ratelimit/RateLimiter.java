package dev.redisstarter.ratelimit;

import java.util.List;

/**
 * Decides whether a request under a key may proceed. Every decision is one round trip to Redis (one Lua
 * script, atomic), timed by the Redis server's clock, exact under any concurrency and across any number of
 * application instances.
 */
public interface RateLimiter {

	/**
	 * Takes one permit.
	 * @param key what is limited, such as a client address or a user id
	 * @param limit the limit
	 * @return the decision
	 */
	default RateLimitResult tryAcquire(String key, RateLimit limit) {
		return tryAcquire(key, List.of(limit), 1);
	}

	/**
	 * Takes several permits at once (a weighted cost).
	 * @param key what is limited
	 * @param limit the limit
	 * @param permits the cost; at least 1
	 * @return the decision
	 */
	default RateLimitResult tryAcquire(String key, RateLimit limit, long permits) {
		return tryAcquire(key, List.of(limit), permits);
	}

	/**
	 * Checks several limits on one key together, all or nothing: a rejection by one consumes from none.
	 * @param key what is limited
	 * @param limits the limits, for example 10 per second and 1000 per hour; not empty, distinct names
	 * @param permits the cost; at least 1
	 * @return the decision, reporting the most restrictive limit
	 */
	RateLimitResult tryAcquire(String key, List<RateLimit> limits, long permits);

}
