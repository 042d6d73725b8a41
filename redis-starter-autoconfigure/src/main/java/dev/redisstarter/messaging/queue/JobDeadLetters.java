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
	 * Puts a dead letter back to waiting, its attempts reset.
	 * @param queue the queue
	 * @param jobId the job
	 * @return whether it was a dead letter
	 */
	boolean retry(String queue, String jobId);

	/**
	 * Puts every dead letter of the queue back to waiting (in batches of 1000 per script).
	 * @param queue the queue
	 * @return how many
	 */
	long retryAll(String queue);

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
