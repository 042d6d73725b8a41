package dev.redisstarter.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One limit: an algorithm with its parameters, a name (used in keys, metrics and headers), an optional
 * block duration, and what to do when Redis is down. Immutable; the {@code with...} methods return copies.
 *
 * @param name the limit's name, such as the policy it comes from
 * @param algorithm the algorithm
 * @param limit requests per window; for a token bucket its capacity
 * @param window the window; for a token bucket the time to refill from empty to full
 * @param burst GCRA only: how many requests may come at once (the others use {@code limit})
 * @param blockDuration how long a key stays blocked after a rejection; zero for no block
 * @param failureMode what to decide when Redis cannot be reached
 */
public record RateLimit(String name, Algorithm algorithm, long limit, Duration window, long burst, Duration blockDuration,
		FailureMode failureMode) {

	/**
	 * Checks the limit.
	 * @param name the limit's name
	 * @param algorithm the algorithm
	 * @param limit requests per window, or capacity
	 * @param window the window, or the time to refill
	 * @param burst GCRA burst
	 * @param blockDuration block after a rejection
	 * @param failureMode behaviour when Redis is down
	 */
	public RateLimit {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(algorithm, "algorithm must not be null");
		Objects.requireNonNull(window, "window must not be null");
		Objects.requireNonNull(blockDuration, "blockDuration must not be null");
		Objects.requireNonNull(failureMode, "failureMode must not be null");
		if (name.isBlank() || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
			throw new IllegalArgumentException("A rate limit's name must not be blank or contain braces, was '" + name + "'");
		}
		if (limit < 1) {
			throw new IllegalArgumentException("Rate limit '" + name + "': limit must be at least 1, was " + limit);
		}
		if (window.toNanos() < 1000) {
			throw new IllegalArgumentException("Rate limit '" + name + "': window must be at least 1 microsecond, was " + window);
		}
		if (burst < 1) {
			throw new IllegalArgumentException("Rate limit '" + name + "': burst must be at least 1, was " + burst);
		}
		if (blockDuration.isNegative()) {
			throw new IllegalArgumentException("Rate limit '" + name + "': block duration must not be negative, was " + blockDuration);
		}
	}

	/**
	 * At most {@code limit} requests per fixed window.
	 * @param limit requests per window
	 * @param window the window
	 * @return the limit
	 */
	public static RateLimit fixedWindow(long limit, Duration window) {
		return of(Algorithm.FIXED_WINDOW, limit, window, limit);
	}

	/**
	 * At most {@code limit} requests in any window of the given length, exactly (a log of request times).
	 * @param limit requests per window
	 * @param window the window
	 * @return the limit
	 */
	public static RateLimit slidingLog(long limit, Duration window) {
		return of(Algorithm.SLIDING_LOG, limit, window, limit);
	}

	/**
	 * About {@code limit} requests in any window of the given length, in constant memory (see
	 * {@link Algorithm#SLIDING_WINDOW} for its worst-case error).
	 * @param limit requests per window
	 * @param window the window
	 * @return the limit
	 */
	public static RateLimit slidingWindow(long limit, Duration window) {
		return of(Algorithm.SLIDING_WINDOW, limit, window, limit);
	}

	/**
	 * A bucket of {@code capacity} tokens refilled at {@code refillPerSecond} (for example {@code 1.0 / 60}
	 * for one a minute).
	 * @param capacity the most tokens the bucket holds, and the largest burst
	 * @param refillPerSecond tokens added per second; positive
	 * @return the limit
	 */
	public static RateLimit tokenBucket(long capacity, double refillPerSecond) {
		if (!(refillPerSecond > 0) || Double.isInfinite(refillPerSecond)) {
			throw new IllegalArgumentException("refillPerSecond must be positive and finite, was " + refillPerSecond);
		}
		Duration fill = Duration.ofNanos(Math.max(1000, Math.round(capacity / refillPerSecond * 1e9)));
		return of(Algorithm.TOKEN_BUCKET, capacity, fill, capacity);
	}

	/**
	 * A bucket of {@code capacity} tokens refilled by {@code refillTokens} every {@code refillPeriod}, for
	 * example {@code tokenBucket(10, 1, Duration.ofMinutes(1))} for one token a minute.
	 * @param capacity the most tokens the bucket holds
	 * @param refillTokens tokens added per period
	 * @param refillPeriod the period
	 * @return the limit
	 */
	public static RateLimit tokenBucket(long capacity, double refillTokens, Duration refillPeriod) {
		return tokenBucket(capacity, refillTokens / (refillPeriod.toNanos() / 1e9));
	}

	/**
	 * GCRA at {@code limit} requests per window, all of which may come at once.
	 * @param limit requests per window
	 * @param window the window
	 * @return the limit
	 */
	public static RateLimit gcra(long limit, Duration window) {
		return gcra(limit, window, limit);
	}

	/**
	 * GCRA at {@code limit} requests per window with a burst allowance.
	 * @param limit requests per window (the sustained rate)
	 * @param window the window
	 * @param burst how many requests may come at once
	 * @return the limit
	 */
	public static RateLimit gcra(long limit, Duration window, long burst) {
		return of(Algorithm.GCRA, limit, window, burst);
	}

	private static RateLimit of(Algorithm algorithm, long limit, Duration window, long burst) {
		return new RateLimit(algorithm.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), algorithm, limit,
				window, burst, Duration.ZERO, FailureMode.FAIL_OPEN);
	}

	/**
	 * This limit under another name.
	 * @param name the name used in keys, metrics and headers
	 * @return a copy
	 */
	public RateLimit withName(String name) {
		return new RateLimit(name, this.algorithm, this.limit, this.window, this.burst, this.blockDuration, this.failureMode);
	}

	/**
	 * This limit, blocking a key for a while after it is rejected.
	 * @param blockDuration how long the key stays blocked
	 * @return a copy
	 */
	public RateLimit withBlockDuration(Duration blockDuration) {
		return new RateLimit(this.name, this.algorithm, this.limit, this.window, this.burst, blockDuration, this.failureMode);
	}

	/**
	 * This limit with another behaviour when Redis is down.
	 * @param failureMode allow or reject
	 * @return a copy
	 */
	public RateLimit withFailureMode(FailureMode failureMode) {
		return new RateLimit(this.name, this.algorithm, this.limit, this.window, this.burst, this.blockDuration, failureMode);
	}

	/**
	 * The most permits one request may take: a larger request could never pass.
	 * @return the limit's capacity
	 */
	public long capacity() {
		return (this.algorithm == Algorithm.GCRA) ? this.burst : this.limit;
	}

	/**
	 * Tokens added per second, for a token bucket.
	 * @return the refill rate
	 */
	public double refillPerSecond() {
		return this.limit / (this.window.toNanos() / 1e9);
	}

	/** Identifies the algorithm and parameters in the key, so a changed limit starts from fresh state. */
	String stateId() {
		return this.algorithm.code() + ":" + this.limit + ":" + micros(this.window)
				+ ((this.algorithm == Algorithm.GCRA) ? ":" + this.burst : "");
	}

	static long micros(Duration duration) {
		return duration.toNanos() / 1000;
	}

}
