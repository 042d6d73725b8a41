package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.redisstarter.core.Durations;

/**
 * How long a failed entry waits before its next delivery: {@code initial * multiplier^(deliveries-1)}, at most
 * {@code max}, then spread by up to {@code jitter} (a fraction: 0.2 means ±20%) so that entries that failed
 * together are not retried together.
 *
 * @param initial the wait after the first failure
 * @param multiplier how much each further failure multiplies it (at least 1)
 * @param max the longest wait
 * @param jitter the random spread, from 0 to 1
 */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {

	/** 1 s, doubling, at most 1 min, ±20%. */
	public static final Backoff DEFAULTS = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 0.2);

	/**
	 * Checked values.
	 * @param initial positive
	 * @param multiplier at least 1
	 * @param max at least {@code initial}
	 * @param jitter from 0 to 1
	 */
	public Backoff {
		Durations.requirePositive("backoff initial", initial);
		Durations.requirePositive("backoff max", max);
		if (multiplier < 1.0 || Double.isNaN(multiplier)) {
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
	 * The wait before the next delivery of an entry.
	 * @param failedDeliveries how many deliveries failed so far (at least 1)
	 * @return the wait, jittered
	 */
	public Duration delayAfter(long failedDeliveries) {
		double millis = this.initial.toMillis() * Math.pow(this.multiplier, Math.max(0, failedDeliveries - 1));
		millis = Math.min(millis, this.max.toMillis());
		if (this.jitter > 0) {
			millis *= 1.0 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * this.jitter;
		}
		return Duration.ofMillis(Math.max(1, Math.round(millis)));
	}

}
