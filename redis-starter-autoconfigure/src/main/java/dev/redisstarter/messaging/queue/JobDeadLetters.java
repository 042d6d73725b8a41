package dev.redisstarter.messaging.queue;

import java.util.List;

/**
 * The dead letters of job queues: jobs that spent their attempts, threw a non-retryable error, or stalled too
 * often. Each keeps its payload, its last error with a trimmed stack trace, and the history of its attempts.
 * Bounded by {@code dead.max-count} and {@code dead.max-age}.
 */
public interface JobDeadLetters {

	/**
	 * Lists dead letters, the most recent first.
	 * @param queue the queue
	 * @param offset how many to skip
	 * @param count the most to list
	 * @return the dead jobs
	 */
	List<JobInfo> list(String queue, int offset, int count);

	/**
	 * Replays a dead letter: puts it back to waiting, its attempts reset (the verb streams' dead letters and both
	 * Actuator endpoints use).
	 * @param queue the queue
	 * @param jobId the job
	 * @return whether it was a dead letter
	 */
	boolean replay(String queue, String jobId);

	/**
	 * Replays every dead letter of the queue (in batches of 1000 per script).
	 * @param queue the queue
	 * @return how many went back to waiting
	 */
	long replayAll(String queue);

	/**
	 * The former name of {@link #replay}.
	 * @param queue the queue
	 * @param jobId the job
	 * @return whether it was a dead letter
	 * @deprecated since 0.1.0, for removal in the next release: use {@link #replay}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	default boolean retry(String queue, String jobId) {
		return replay(queue, jobId);
	}

	/**
	 * The former name of {@link #replayAll}.
	 * @param queue the queue
	 * @return how many went back to waiting
	 * @deprecated since 0.1.0, for removal in the next release: use {@link #replayAll}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	default long retryAll(String queue) {
		return replayAll(queue);
	}

	/**
	 * Deletes a dead letter.
	 * @param queue the queue
	 * @param jobId the job
	 * @return whether it was a dead letter
	 */
	boolean purge(String queue, String jobId);

	/**
	 * Deletes every dead letter of the queue (in batches of 1000 per script).
	 * @param queue the queue
	 * @return how many
	 */
	long purgeAll(String queue);

}
