package dev.redisstarter.messaging;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed job or stream entry waits before its next attempt: {@code initial × multiplier^(failures - 1)},
 * at most {@code max}, spread by ± {@code jitter} (a fraction: 0.2 is ±20 %) so that work that failed together is
 * not retried together. A multiplier of 1 is a fixed wait. The job queue and streams share it.
 *
 * @param initial the wait after the first failure
 * @param multiplier how much each further failure multiplies it; at least 1
 * @param max the longest wait
 * @param jitter between 0 and 1
 */
public record RetryBackoff(Duration initial, double multiplier, Duration max, double jitter) {

	/**
	 * Checks the values.
	 * @param initial at least 1 ms
	 * @param multiplier at least 1
	 * @param max at least {@code initial}
	 * @param jitter from 0 to 1
	 */
	public RetryBackoff {
		if (initial.toMillis() < 1 || max.toMillis() < 1) {
			throw new IllegalArgumentException("backoff initial and max must be at least 1ms, were " + initial + " and "
					+ max);
		}
		if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
			throw new IllegalArgumentException("backoff multiplier must be at least 1, was " + multiplier);
		}
		if (max.compareTo(initial) < 0) {
			throw new IllegalArgumentException("backoff max (" + max + ") must not be below its initial (" + initial + ")");
		}
		if (!(jitter >= 0.0 && jitter <= 1.0)) {
			throw new IllegalArgumentException("backoff jitter must be between 0 and 1, was " + jitter);
		}
	}

	/**
	 * The same wait after every failure.
	 * @param delay the wait
	 * @return the backoff, without jitter
	 */
	public static RetryBackoff fixed(Duration delay) {
		return new RetryBackoff(delay, 1.0, delay, 0.0);
	}

	/**
	 * A wait that doubles after each failure, up to {@code max}, with 20 % jitter.
	 * @param initial the wait after the first failure
	 * @param max the longest wait
	 * @return the backoff
	 */
	public static RetryBackoff exponential(Duration initial, Duration max) {
		return new RetryBackoff(initial, 2.0, max, 0.2);
	}

	/**
	 * The same backoff with another jitter.
	 * @param jitter between 0 and 1
	 * @return the backoff
	 */
	public RetryBackoff withJitter(double jitter) {
		return new RetryBackoff(this.initial, this.multiplier, this.max, jitter);
	}

	/**
	 * The wait before the next attempt.
	 * @param failures how many attempts or deliveries failed so far (at least 1)
	 * @return the wait, jittered
	 */
	public Duration delayAfter(long failures) {
		double millis = this.initial.toMillis() * Math.pow(this.multiplier, Math.max(0, failures - 1));
		millis = Math.min(millis, this.max.toMillis());
		if (this.jitter > 0) {
			millis *= 1.0 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * this.jitter;
		}
		return Duration.ofMillis(Math.max(1, Math.round(millis)));
	}

}
