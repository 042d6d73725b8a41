package dev.redisstarter.messaging.queue;

import java.time.Instant;
import java.util.List;

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
}
