package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Enqueues jobs for {@link JobHandler} methods, in this application or any other that shares the Redis. Each
 * call is one script on the starter's connection within {@code redis.starter.queue.timeout}; payloads are JSON
 * written with the application's {@code JsonMapper}.
 */
public interface JobQueue {

	/**
	 * Enqueues a job with the queue's settings.
	 * @param queue the queue (no braces)
	 * @param payload what the handler receives
	 * @return the job's id
	 * @throws JobQueueUnavailableException when Redis does not answer in time
	 */
	default String enqueue(String queue, Object payload) {
		return enqueue(queue, payload, JobOptions.defaults());
	}

	/**
	 * Enqueues a job.
	 * @param queue the queue (no braces)
	 * @param payload what the handler receives
	 * @param options delay, priority, attempts, backoff, timeout, id or deduplication, retention
	 * @return the job's id; the existing job's id when its job id or deduplication key is taken
	 * @throws JobQueueUnavailableException when Redis does not answer in time
	 */
	String enqueue(String queue, Object payload, JobOptions options);

	/**
	 * Enqueues many jobs in one script (one round trip: all of a queue's keys are on one node).
	 * @param queue the queue
	 * @param payloads the payloads, each one job
	 * @param options options shared by all (a job id or deduplication key cannot be shared: leave them unset)
	 * @return the jobs' ids, in the order of the payloads
	 * @throws JobQueueUnavailableException when Redis does not answer in time
	 */
	List<String> enqueueAll(String queue, List<?> payloads, JobOptions options);

	/**
	 * Reads a job: its state, attempts, progress and errors. Completed jobs are readable for their retention,
	 * dead ones for the dead letters' retention.
	 * @param queue the queue
	 * @param jobId the job's id
	 * @return the job, or empty when it never existed or is no longer kept
	 * @throws JobQueueUnavailableException when Redis does not answer in time
	 */
	Optional<JobInfo> job(String queue, String jobId);

	/**
	 * Counts a queue's jobs by state.
	 * @param queue the queue
	 * @return the counts
	 * @throws JobQueueUnavailableException when Redis does not answer in time
	 */
	QueueCounts counts(String queue);

	/**
	 * Pauses every worker of the queue, in every instance, for a while (a longer pause in force is kept).
	 * @param queue the queue
	 * @param pause how long
	 * @throws JobQueueUnavailableException when Redis does not answer in time
	 */
	void pause(String queue, Duration pause);

}
