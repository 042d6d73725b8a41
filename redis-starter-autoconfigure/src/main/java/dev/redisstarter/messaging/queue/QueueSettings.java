package dev.redisstarter.messaging.queue;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.Durations;
import dev.redisstarter.messaging.HandlerCircuit;

import dev.redisstarter.messaging.RetryBackoff;

/**
 * One queue's settings, from {@code redis.starter.queue.defaults.*} and {@code redis.starter.queue.named.<queue>.*}.
 *
 * @param concurrency jobs one instance runs at once when the handler sets none
 * @param attempts attempts per job when the job sets none
 * @param backoff the wait between attempts when the job sets none
 * @param attemptTimeout how long one attempt may run when the job sets none; null for no limit
 * @param lease how long a taken job stays the worker's without a renewal (renewed every third of it)
 * @param stalledInterval how often each instance looks for jobs whose lease expired
 * @param maxStalled how many times a job may stall before it is dead-lettered
 * @param completedMaxCount how many completed jobs are kept (0: none)
 * @param completedMaxAge how long a completed job is kept
 * @param deadMaxCount how many dead letters are kept
 * @param deadMaxAge how long a dead letter is kept
 * @param rateLimit how many jobs may start per window across all instances; 0 for no limit
 * @param rateLimitWindow the rate limit's window
 * @param idleWait the longest an idle worker waits for a signal before it looks again
 * @param prefetch the most jobs a worker takes ahead of its handlers (it takes about 20 ms of work ahead)
 * @param circuit when a handler failing job after job pauses its worker (nothing is dead-lettered while it does)
 */
public record QueueSettings(int concurrency, int attempts, RetryBackoff backoff, @Nullable Duration attemptTimeout,
		Duration lease, Duration stalledInterval, int maxStalled, long completedMaxCount, Duration completedMaxAge,
		long deadMaxCount, Duration deadMaxAge, long rateLimit, Duration rateLimitWindow, Duration idleWait, int prefetch,
		HandlerCircuit.Settings circuit) {

	/** The starter's defaults. */
	public static final QueueSettings DEFAULTS = new QueueSettings(1, 3,
			RetryBackoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5)), null, Duration.ofSeconds(30),
			Duration.ofSeconds(5), 1, 1000, Duration.ofHours(1), 10_000, Duration.ofDays(7), 0, Duration.ofSeconds(1),
			Duration.ofSeconds(5), 64, HandlerCircuit.Settings.DEFAULTS);

	/**
	 * Checks the values.
	 */
	public QueueSettings {
		if (concurrency < 1 || concurrency > 1024) {
			throw new IllegalArgumentException("concurrency must be between 1 and 1024, was " + concurrency);
		}
		if (attempts < 1) {
			throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
		}
		if (attemptTimeout != null) {
			Durations.requirePositive("attempt-timeout", attemptTimeout);
		}
		Durations.requirePositive("lease", lease);
		if (lease.toMillis() < 300) {
			throw new IllegalArgumentException("lease must be at least 300ms (it is renewed every third), was " + lease);
		}
		Durations.requirePositive("stalled-interval", stalledInterval);
		if (maxStalled < 0) {
			throw new IllegalArgumentException("max-stalled must not be negative, was " + maxStalled);
		}
		if (completedMaxCount < 0 || deadMaxCount < 1) {
			throw new IllegalArgumentException("completed.max-count must not be negative and dead.max-count must be at"
					+ " least 1, were " + completedMaxCount + " and " + deadMaxCount);
		}
		Durations.requirePositive("completed.max-age", completedMaxAge);
		Durations.requirePositive("dead.max-age", deadMaxAge);
		if (rateLimit < 0) {
			throw new IllegalArgumentException("rate-limit.limit must not be negative, was " + rateLimit);
		}
		Durations.requirePositive("rate-limit.window", rateLimitWindow);
		Durations.requirePositive("idle-wait", idleWait);
		if (prefetch < 0 || prefetch > 10_000) {
			throw new IllegalArgumentException("prefetch must be between 0 and 10000, was " + prefetch);
		}
		java.util.Objects.requireNonNull(circuit, "circuit must not be null");
	}

	/**
	 * A copy with another concurrency, for customizers.
	 * @param concurrency jobs one instance runs at once when the handler sets none
	 * @return the copy
	 */
	public QueueSettings withConcurrency(int concurrency) {
		return new QueueSettings(concurrency, this.attempts, this.backoff, this.attemptTimeout, this.lease, this.stalledInterval, this.maxStalled, this.completedMaxCount, this.completedMaxAge, this.deadMaxCount, this.deadMaxAge, this.rateLimit, this.rateLimitWindow, this.idleWait, this.prefetch, this.circuit);
	}

	/**
	 * A copy with another attempts, for customizers.
	 * @param attempts attempts per job when the job sets none
	 * @return the copy
	 */
	public QueueSettings withAttempts(int attempts) {
		return new QueueSettings(this.concurrency, attempts, this.backoff, this.attemptTimeout, this.lease, this.stalledInterval, this.maxStalled, this.completedMaxCount, this.completedMaxAge, this.deadMaxCount, this.deadMaxAge, this.rateLimit, this.rateLimitWindow, this.idleWait, this.prefetch, this.circuit);
	}

	/**
	 * A copy with another backoff, for customizers.
	 * @param backoff the wait between attempts
	 * @return the copy
	 */
	public QueueSettings withBackoff(RetryBackoff backoff) {
		return new QueueSettings(this.concurrency, this.attempts, backoff, this.attemptTimeout, this.lease, this.stalledInterval, this.maxStalled, this.completedMaxCount, this.completedMaxAge, this.deadMaxCount, this.deadMaxAge, this.rateLimit, this.rateLimitWindow, this.idleWait, this.prefetch, this.circuit);
	}

	/**
	 * A copy with another attemptTimeout, for customizers.
	 * @param attemptTimeout how long one attempt may run; null for no limit
	 * @return the copy
	 */
	public QueueSettings withAttemptTimeout(@Nullable Duration attemptTimeout) {
		return new QueueSettings(this.concurrency, this.attempts, this.backoff, attemptTimeout, this.lease, this.stalledInterval, this.maxStalled, this.completedMaxCount, this.completedMaxAge, this.deadMaxCount, this.deadMaxAge, this.rateLimit, this.rateLimitWindow, this.idleWait, this.prefetch, this.circuit);
	}

	/**
	 * A copy with another prefetch, for customizers.
	 * @param prefetch the most jobs a worker takes ahead of its handlers
	 * @return the copy
	 */
	public QueueSettings withPrefetch(int prefetch) {
		return new QueueSettings(this.concurrency, this.attempts, this.backoff, this.attemptTimeout, this.lease, this.stalledInterval, this.maxStalled, this.completedMaxCount, this.completedMaxAge, this.deadMaxCount, this.deadMaxAge, this.rateLimit, this.rateLimitWindow, this.idleWait, prefetch, this.circuit);
	}

	/**
	 * A copy with another circuit, for customizers.
	 * @param circuit the handler circuit
	 * @return the copy
	 */
	public QueueSettings withCircuit(HandlerCircuit.Settings circuit) {
		return new QueueSettings(this.concurrency, this.attempts, this.backoff, this.attemptTimeout, this.lease, this.stalledInterval, this.maxStalled, this.completedMaxCount, this.completedMaxAge, this.deadMaxCount, this.deadMaxAge, this.rateLimit, this.rateLimitWindow, this.idleWait, this.prefetch, circuit);
	}

}
