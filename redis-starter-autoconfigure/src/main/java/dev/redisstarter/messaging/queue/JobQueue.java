package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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
	 * Enqueues a job with the queue's settings without waiting for Redis. See
	 * {@link #enqueueAsync(String, Object, JobOptions)}.
	 * @param queue the queue (no braces)
	 * @param payload what the handler receives
	 * @return the job's id to come
	 */
	default CompletableFuture<String> enqueueAsync(String queue, Object payload) {
		return enqueueAsync(queue, payload, JobOptions.defaults());
	}

	/**
	 * Enqueues a job without waiting for Redis: the script is sent at once, pipelined with every other call on the
	 * starter's connection, and the future completes with the job's id when Redis has stored it, or fails with a
	 * {@link JobQueueUnavailableException} when Redis does not answer within {@code redis.starter.queue.timeout}.
	 * A job whose future failed may or may not have been stored (as with {@link #enqueue}); give it a job id to
	 * retry safely. Bad input (a payload too large, an invalid option) is thrown at once. At most
	 * {@code redis.starter.queue.max-async-in-flight} calls wait for replies; a call beyond that waits for a slot,
	 * at most the queue timeout. The future completes on a client thread: do not block in what you chain on it.
	 * @param queue the queue (no braces)
	 * @param payload what the handler receives
	 * @param options delay, priority, attempts, backoff, timeout, id or deduplication, retention
	 * @return the job's id to come; the existing job's id when its job id or deduplication key is taken
	 */
	default CompletableFuture<String> enqueueAsync(String queue, Object payload, JobOptions options) {
		try {
			return CompletableFuture.completedFuture(enqueue(queue, payload, options));
		}
		catch (JobQueueUnavailableException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

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
	 * Lists the first jobs of a state, for a page or an endpoint: waiting jobs in the order they run, delayed jobs
	 * the soonest due first, active jobs the soonest lease end first, completed and dead jobs the most recent first.
	 * Each job's payload, error message and progress are cut to {@code previewChars} characters before they leave
	 * Redis (so a list of large jobs stays small), and its stack trace and history are left out: read one job in full
	 * with {@link #job}. One script call, whatever the count.
	 * @param queue the queue
	 * @param state the state
	 * @param count how many jobs at most, 1 to 1,000
	 * @param previewChars characters kept of a payload, error message or progress, 1 or more
	 * @return how many jobs have the state, and the first of them
	 * @throws IllegalArgumentException when {@code count} or {@code previewChars} is out of range
	 * @throws JobQueueUnavailableException when Redis does not answer in time
	 */
	JobList jobs(String queue, JobState state, int count, int previewChars);

	/**
	 * The workers that serve a queue on every instance, as each last checked in (every {@code stalled-interval},
	 * with its stalled check). A worker that stopped is gone at once; one whose instance crashed or lost Redis is gone
	 * three of its intervals after its last check-in.
	 * @param queue the queue
	 * @param max how many workers at most, 1 or more
	 * @return the workers, those whose check-in ends soonest first (with one {@code stalled-interval} everywhere:
	 *     those that checked in longest ago first)
	 * @throws JobQueueUnavailableException when Redis does not answer in time
	 */
	List<WorkerCheckIn> workers(String queue, int max);

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

	/**
	 * Makes a delayed job waiting now, in its priority's place, and wakes a worker (an operator's "run it now").
	 * @param queue the queue
	 * @param jobId the delayed job's id
	 * @return true when the job was delayed and is now waiting; false when it is not a delayed job
	 * @throws JobQueueUnavailableException when Redis does not answer in time
	 */
	default boolean promote(String queue, String jobId) {
		throw new UnsupportedOperationException(getClass().getName() + " cannot promote delayed jobs");
	}

	/**
	 * Ends a pause of the queue at once (from {@link #pause} or a handler's back-off), in every instance.
	 * @param queue the queue
	 * @return the pause that was left, zero when the queue was not paused
	 * @throws JobQueueUnavailableException when Redis does not answer in time
	 */
	default Duration resume(String queue) {
		throw new UnsupportedOperationException(getClass().getName() + " cannot resume queues");
	}

}
