package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed job waits before its next attempt: {@code initial × multiplier^(attempt - 1)}, at most
 * {@code max}, spread by ± {@code jitter} (a fraction) so that jobs that failed together do not retry together.
 * A multiplier of 1 is a fixed backoff.
 *
 * @param initial the wait after the first failed attempt
 * @param multiplier how much each further failure multiplies it; at least 1
 * @param max the longest wait
 * @param jitter between 0 and 1
 */
public record JobBackoff(Duration initial, double multiplier, Duration max, double jitter) {

	/**
	 * Checks the values.
	 */
	public JobBackoff {
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
	public static JobBackoff fixed(Duration delay) {
		return new JobBackoff(delay, 1.0, delay, 0.0);
	}

	/**
	 * A wait that doubles after each failure, up to {@code max}, with 20 % jitter.
	 * @param initial the wait after the first failure
	 * @param max the longest wait
	 * @return the backoff
	 */
	public static JobBackoff exponential(Duration initial, Duration max) {
		return new JobBackoff(initial, 2.0, max, 0.2);
	}

	/**
	 * The same backoff with another jitter.
	 * @param jitter between 0 and 1
	 * @return the backoff
	 */
	public JobBackoff withJitter(double jitter) {
		return new JobBackoff(this.initial, this.multiplier, this.max, jitter);
	}

	/**
	 * The wait before the next attempt.
	 * @param failedAttempts how many attempts failed so far (at least 1)
	 * @return the wait
	 */
	public Duration delayAfter(int failedAttempts) {
		double millis = this.initial.toMillis() * Math.pow(this.multiplier, Math.max(0, failedAttempts - 1));
		millis = Math.min(millis, this.max.toMillis());
		if (this.jitter > 0) {
			millis *= 1.0 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * this.jitter;
		}
		return Duration.ofMillis(Math.max(1, Math.round(millis)));
	}

	/**
	 * The form kept in the job's record: {@code initialMs:multiplier:maxMs:jitter} (Double.toString is
	 * locale-independent).
	 */
	String encode() {
		return this.initial.toMillis() + ":" + this.multiplier + ":" + this.max.toMillis() + ":" + this.jitter;
	}

	static JobBackoff decode(String text, JobBackoff fallback) {
		String[] parts = text.split(":");
		if (parts.length != 4) {
			return fallback;
		}
		try {
			return new JobBackoff(Duration.ofMillis(Long.parseLong(parts[0])), Double.parseDouble(parts[1]),
					Duration.ofMillis(Long.parseLong(parts[2])), Double.parseDouble(parts[3]));
		}
		catch (IllegalArgumentException ex) {
			return fallback;
		}
	}

}
