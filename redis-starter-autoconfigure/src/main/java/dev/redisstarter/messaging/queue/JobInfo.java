package dev.redisstarter.messaging.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A job as Redis holds it.
 *
 * @param id the job's id
 * @param queue its queue
 * @param state where it is
 * @param attempts how many attempts started (a released or stalled attempt does not count)
 * @param maxAttempts how many attempts it gets
 * @param priority its priority
 * @param createdAt when it was enqueued (server clock)
 * @param runAt when it may run (server clock)
 * @param finishedAt when it completed or died
 * @param stalled how many times its worker stopped renewing its lease while its handler ran
 * @param runs how many attempts' handlers started, stalled ones included (0 for a job only ever taken ahead)
 * @param payload its payload as JSON
 * @param progress the last progress its handler reported, as JSON
 * @param errorType the last error's class, when an attempt failed
 * @param errorMessage the last error's message
 * @param stackTrace the last error's stack trace, trimmed
 * @param history every failed attempt (the first and the latest when there were many)
 */
public record JobInfo(String id, String queue, JobState state, int attempts, int maxAttempts, int priority,
		@Nullable Instant createdAt, @Nullable Instant runAt, @Nullable Instant finishedAt, int stalled, int runs,
		String payload,
		@Nullable String progress, @Nullable String errorType, @Nullable String errorMessage,
		@Nullable String stackTrace, List<JobError> history) {

	/** This job with its payload, progress and error message cut to {@code chars} characters, as lists show it. */
	JobInfo cut(int chars) {
		return new JobInfo(this.id, this.queue, this.state, this.attempts, this.maxAttempts, this.priority,
				this.createdAt, this.runAt, this.finishedAt, this.stalled, this.runs,
				Objects.requireNonNull(cut(this.payload, chars)),
				cut(this.progress, chars), this.errorType, cut(this.errorMessage, chars), this.stackTrace, this.history);
	}

	private static @Nullable String cut(@Nullable String text, int chars) {
		if (text == null || text.length() <= chars) {
			return text;
		}
		// Never half a surrogate pair.
		int end = Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars;
		return text.substring(0, end);
	}

}
