package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.Masking;
import dev.redisstarter.messaging.RetryBackoff;

/**
 * How one job runs. Every option left unset takes the queue's setting ({@code redis.starter.queue.defaults.*},
 * {@code redis.starter.queue.named.<queue>.*}). Build with {@link #defaults()} and the {@code with...} methods.
 *
 * @param delay run no earlier than this long after the enqueue, by the Redis server's clock
 * @param runAt run no earlier than this instant (ignored when a delay is set)
 * @param priority between -1000 and 1000; higher runs first, equal priorities in enqueue order; 0 by default
 * @param attempts how many attempts before the job is dead-lettered (at least 1)
 * @param backoff the wait between attempts
 * @param attemptTimeout how long one attempt may run before it is interrupted and counted as failed
 * @param jobId the job's id: enqueueing an id that exists returns the existing job instead of adding one
 * @param deduplicationKey a key that makes an equal key enqueued within {@code deduplicationWindow} return the
 * existing job
 * @param deduplicationWindow how long a deduplication key holds
 * @param retention how long the job's record is kept once completed (the queue's completed retention by default)
 */
public record JobOptions(@Nullable Duration delay, @Nullable Instant runAt, int priority, @Nullable Integer attempts,
		@Nullable RetryBackoff backoff, @Nullable Duration attemptTimeout, @Nullable String jobId,
		@Nullable String deduplicationKey, @Nullable Duration deduplicationWindow, @Nullable Duration retention) {

	/** The most characters of a job id or a deduplication key (each is part of a key). */
	private static final int MAX_ID_LENGTH = 256;

	/** The longest deduplication window Redis can store: it adds the window to its clock in milliseconds. */
	private static final long MAX_WINDOW_MILLIS = Long.MAX_VALUE / 2;

	private static final JobOptions DEFAULTS = new JobOptions(null, null, 0, null, null, null, null, null, null, null);

	/**
	 * Checks the values.
	 */
	public JobOptions {
		if (delay != null && delay.isNegative()) {
			throw new IllegalArgumentException("A job's delay must not be negative, was " + delay);
		}
		if (priority < -1000 || priority > 1000) {
			throw new IllegalArgumentException("A job's priority must be between -1000 and 1000, was " + priority);
		}
		if (attempts != null && attempts < 1) {
			throw new IllegalArgumentException("A job needs at least 1 attempt, was " + attempts);
		}
		requireMillis("attempt timeout", attemptTimeout);
		requireMillis("retention", retention);
		requireId("job id", jobId);
		if (jobId != null && jobId.chars().allMatch(Character::isDigit)) {
			throw new IllegalArgumentException("A job id must not be a plain number (the queue's own ids are), was "
					+ Masking.mask(jobId));
		}
		requireId("deduplication key", deduplicationKey);
		if (deduplicationKey != null) {
			if (deduplicationWindow == null) {
				throw new IllegalArgumentException("A deduplication key needs a deduplication window");
			}
			requireMillis("deduplication window", deduplicationWindow);
			if (deduplicationWindow.toMillis() > MAX_WINDOW_MILLIS) {
				// SET ... PX fails inside enqueue.lua, and with it every job sent in the same script.
				throw new IllegalArgumentException("A job's deduplication window must be at most "
						+ MAX_WINDOW_MILLIS + "ms (Redis adds it to its clock), was " + deduplicationWindow);
			}
		}
	}

	/** Redis keeps times in whole milliseconds: a shorter duration would mean none. */
	private static void requireMillis(String what, @Nullable Duration duration) {
		if (duration != null && duration.toMillis() < 1) {
			throw new IllegalArgumentException("A job's " + what + " must be at least 1ms, was " + duration);
		}
	}

	/**
	 * An id is often a caller's (an idempotency key from a request): over its bound it is refused as input too large
	 * (413 in Spring MVC), and no message carries it whole ({@link Masking}).
	 */
	static void requireId(String what, @Nullable String id) {
		if (id == null) {
			return;
		}
		if (id.length() > MAX_ID_LENGTH) {
			throw new InputLimitExceededException("A " + what, id.length(), MAX_ID_LENGTH, "characters", "a fixed bound");
		}
		if (id.isEmpty() || id.indexOf('{') >= 0 || id.indexOf('}') >= 0) {
			throw new IllegalArgumentException("A " + what + " must have 1 to " + MAX_ID_LENGTH
					+ " characters and no braces, was " + Masking.mask(id));
		}
	}

	/**
	 * The queue's settings for everything.
	 * @return options that set nothing
	 */
	public static JobOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Runs the job no earlier than {@code delay} from now (the Redis server's now).
	 * @param delay the delay
	 * @return new options
	 */
	public JobOptions withDelay(Duration delay) {
		return new JobOptions(delay, null, this.priority, this.attempts, this.backoff, this.attemptTimeout, this.jobId,
				this.deduplicationKey, this.deduplicationWindow, this.retention);
	}

	/**
	 * Runs the job no earlier than {@code runAt}.
	 * @param runAt the instant
	 * @return new options
	 */
	public JobOptions withRunAt(Instant runAt) {
		return new JobOptions(null, runAt, this.priority, this.attempts, this.backoff, this.attemptTimeout, this.jobId,
				this.deduplicationKey, this.deduplicationWindow, this.retention);
	}

	/**
	 * Sets the priority (higher runs first).
	 * @param priority between -1000 and 1000
	 * @return new options
	 */
	public JobOptions withPriority(int priority) {
		return new JobOptions(this.delay, this.runAt, priority, this.attempts, this.backoff, this.attemptTimeout,
				this.jobId, this.deduplicationKey, this.deduplicationWindow, this.retention);
	}

	/**
	 * Sets how many attempts the job gets.
	 * @param attempts at least 1
	 * @return new options
	 */
	public JobOptions withAttempts(int attempts) {
		return new JobOptions(this.delay, this.runAt, this.priority, attempts, this.backoff, this.attemptTimeout,
				this.jobId, this.deduplicationKey, this.deduplicationWindow, this.retention);
	}

	/**
	 * Sets the wait between attempts.
	 * @param backoff the backoff
	 * @return new options
	 */
	public JobOptions withBackoff(RetryBackoff backoff) {
		return new JobOptions(this.delay, this.runAt, this.priority, this.attempts, backoff, this.attemptTimeout,
				this.jobId, this.deduplicationKey, this.deduplicationWindow, this.retention);
	}

	/**
	 * Sets how long one attempt may run.
	 * @param attemptTimeout the timeout
	 * @return new options
	 */
	public JobOptions withAttemptTimeout(Duration attemptTimeout) {
		return new JobOptions(this.delay, this.runAt, this.priority, this.attempts, this.backoff, attemptTimeout,
				this.jobId, this.deduplicationKey, this.deduplicationWindow, this.retention);
	}

	/**
	 * Sets the job's id; while a job with this id exists, enqueueing it again returns it.
	 * @param jobId the id (no braces)
	 * @return new options
	 */
	public JobOptions withJobId(String jobId) {
		return new JobOptions(this.delay, this.runAt, this.priority, this.attempts, this.backoff, this.attemptTimeout,
				jobId, this.deduplicationKey, this.deduplicationWindow, this.retention);
	}

	/**
	 * Deduplicates: within {@code window} of this enqueue, an equal key returns this job.
	 * @param key the key (no braces)
	 * @param window how long the key holds
	 * @return new options
	 */
	public JobOptions withDeduplication(String key, Duration window) {
		return new JobOptions(this.delay, this.runAt, this.priority, this.attempts, this.backoff, this.attemptTimeout,
				this.jobId, key, window, this.retention);
	}

	/**
	 * Sets how long the job's record stays readable once completed.
	 * @param retention the retention
	 * @return new options
	 */
	public JobOptions withRetention(Duration retention) {
		return new JobOptions(this.delay, this.runAt, this.priority, this.attempts, this.backoff, this.attemptTimeout,
				this.jobId, this.deduplicationKey, this.deduplicationWindow, retention);
	}

}
