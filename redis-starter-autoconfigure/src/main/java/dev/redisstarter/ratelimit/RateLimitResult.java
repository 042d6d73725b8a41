package dev.redisstarter.ratelimit;

import java.time.Duration;

/**
 * The decision on one request.
 *
 * @param allowed whether the request may proceed
 * @param limit the limit that decided (the most restrictive of several): requests per window, or capacity
 * @param remaining how many more permits the key has now
 * @param resetAfter how long until the limit is fully available again
 * @param retryAfter for a rejection, how long until this request could pass (never zero); zero when allowed
 * @param decision why the request was allowed or rejected
 * @param policy the name of the limit that decided
 * @param window that limit's window
 */
public record RateLimitResult(boolean allowed, long limit, long remaining, Duration resetAfter, Duration retryAfter,
		Decision decision, String policy, Duration window) {

	/** Why a request was allowed or rejected. */
	public enum Decision {

		/** Within every limit. */
		ALLOWED,

		/** A limit was reached. */
		REJECTED,

		/** The key is blocked after an earlier rejection (see {@link RateLimit#withBlockDuration}). */
		BLOCKED,

		/**
		 * The request costs more permits than the limit's capacity: it can never pass, however long it waits.
		 */
		EXCEEDS_CAPACITY,

		/** Redis could not be reached and the limit fails open. */
		FAILED_OPEN,

		/** Redis could not be reached and the limit fails closed. */
		FAILED_CLOSED

	}

}
