package dev.redisstarter.messaging.queue.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

import dev.redisstarter.messaging.queue.JobDeadLetters;
import dev.redisstarter.messaging.queue.JobInfo;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.JobWorkers;
import dev.redisstarter.messaging.queue.QueueCounts;
import dev.redisstarter.messaging.queue.QueueKeys;
import dev.redisstarter.messaging.queue.UnhandledQueues;

/**
 * {@code /actuator/jobqueues}: the queues this application handles (and those configured by name) with their
 * counts, this instance's workers, their most recent dead letters and whether the queue is {@code unhandled}
 * (holds jobs due that no worker on any instance has served for {@code unhandled-after}; also listed: every queue
 * this instance enqueued to, a misspelled one included, see {@link UnhandledQueues}); {@code /actuator/jobqueues/{queue}} one
 * queue with more dead letters; {@code /actuator/jobqueues/{queue}/{jobId}} one job in full (404 when not kept).
 * {@code POST /actuator/jobqueues/{queue}/{jobId}} retries a dead letter ({@code all}: every one), {@code DELETE}
 * on the same path purges. While Redis is unreachable the read operations answer at once with what this
 * instance knows (its workers) and an {@code error} per queue; the others fail with the queue's
 * {@code JobQueueUnavailableException}.
 */
@Endpoint(id = "jobqueues")
public class JobQueuesEndpoint {

	/** The selector that stands for every dead letter of a queue. */
	public static final String ALL = "all";

	private static final int LISTED_DEAD_LETTERS = 20;

	private static final int QUEUE_DEAD_LETTERS = 100;

	/**
	 * A dead letter as the listings show it (the job's detail adds its stack trace and history).
	 *
	 * @param id the job's id
	 * @param attempts how many attempts it had (a stalled attempt is not counted)
	 * @param runs how many times a handler started it, stalled attempts included
	 * @param stalled how many times it stalled while running
	 * @param errorType the last error's class
	 * @param errorMessage the last error's message
	 * @param finishedAt when it died (server clock)
	 * @param payload its payload as JSON text
	 */
	public record DeadLetter(String id, int attempts, int runs, int stalled, @Nullable String errorType,
			@Nullable String errorMessage, @Nullable Instant finishedAt, String payload) {

		static DeadLetter of(JobInfo job) {
			return new DeadLetter(job.id(), job.attempts(), job.runs(), job.stalled(), job.errorType(),
					job.errorMessage(), job.finishedAt(), job.payload());
		}

	}

	private final JobQueue jobs;

	private final JobDeadLetters deadLetters;

	private final JobWorkers workers;

	private final Set<String> configured;

	private final UnhandledQueues unhandled;

	/**
	 * The endpoint.
	 * @param jobs reads counts and jobs
	 * @param deadLetters lists, retries and purges dead letters
	 * @param workers this application's workers
	 * @param configured queue names configured under {@code redis.starter.queue.named}
	 * @param unhandled the queues this instance enqueued to, and which of them no worker serves
	 */
	public JobQueuesEndpoint(JobQueue jobs, JobDeadLetters deadLetters, JobWorkers workers, Set<String> configured,
			UnhandledQueues unhandled) {
		this.jobs = Objects.requireNonNull(jobs, "jobs must not be null");
		this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters must not be null");
		this.workers = Objects.requireNonNull(workers, "workers must not be null");
		this.configured = Set.copyOf(configured);
		this.unhandled = Objects.requireNonNull(unhandled, "unhandled must not be null");
	}

	/**
	 * Every known queue. Once Redis fails for one queue the others are not asked (each would wait for the queue
	 * timeout again): they carry an {@code error} too.
	 * @return {@code queues}: per queue its counts, workers, most recent dead letters and any {@code error}
	 */
	@ReadOperation
	public Map<String, Object> queues() {
		Set<String> names = new TreeSet<>(this.configured);
		names.addAll(this.workers.queues());
		names.addAll(this.unhandled.queues());
		List<JobWorkers.WorkerState> states = this.workers.states();
		Set<String> unhandledNow = this.unhandled.unhandled().keySet();
		Map<String, Object> queues = new LinkedHashMap<>();
		String skipped = null;
		for (String name : names) {
			if (skipped != null) {
				queues.put(name, shown(name, null, states, unhandledNow).error(skipped).map());
				continue;
			}
			Shown shown = read(name, states, unhandledNow, LISTED_DEAD_LETTERS);
			if (shown.unreachable()) {
				skipped = "Not read: Redis did not answer for queue '" + name + "'";
			}
			queues.put(name, shown.map());
		}
		return Map.of("queues", queues);
	}

	/**
	 * One queue, whether or not this application handles it.
	 * @param queue the queue's name
	 * @return its counts, workers, most recent dead letters and any {@code error}
	 */
	@ReadOperation
	public Map<String, @Nullable Object> queue(@Selector String queue) {
		return read(requireName(queue), this.workers.states(), this.unhandled.unhandled().keySet(), QUEUE_DEAD_LETTERS)
			.map();
	}

	/**
	 * One job in full: state, attempts, payload, progress, last error with its stack trace, history.
	 * @param queue the queue's name
	 * @param jobId the job's id
	 * @return the job, or null (404) when it never existed or is no longer kept
	 */
	@ReadOperation
	public @Nullable JobInfo job(@Selector String queue, @Selector String jobId) {
		return this.jobs.job(requireName(queue), jobId).orElse(null);
	}

	/**
	 * Puts a dead letter back to waiting, its attempts reset.
	 * @param queue the queue's name
	 * @param jobId the job's id, or {@code all}
	 * @return {@code retried}: how many (0 when the job is not a dead letter)
	 */
	@WriteOperation
	public Map<String, Object> retry(@Selector String queue, @Selector String jobId) {
		requireName(queue);
		long retried = jobId.equals(ALL) ? this.deadLetters.retryAll(queue) : (this.deadLetters.retry(queue, jobId) ? 1 : 0);
		return Map.of("retried", retried);
	}

	/**
	 * Deletes a dead letter.
	 * @param queue the queue's name
	 * @param jobId the job's id, or {@code all}
	 * @return {@code purged}: how many (0 when the job is not a dead letter)
	 */
	@DeleteOperation
	public Map<String, Object> purge(@Selector String queue, @Selector String jobId) {
		requireName(queue);
		long purged = jobId.equals(ALL) ? this.deadLetters.purgeAll(queue) : (this.deadLetters.purge(queue, jobId) ? 1 : 0);
		return Map.of("purged", purged);
	}

	private Shown read(String queue, List<JobWorkers.WorkerState> states, Set<String> unhandledNow,
			int deadLetterCount) {
		QueueCounts counts;
		try {
			counts = this.jobs.counts(queue);
		}
		catch (DataAccessException ex) {
			return shown(queue, null, states, unhandledNow).failed(ex);
		}
		Shown shown = shown(queue, counts, states, unhandledNow);
		try {
			shown.map().put("deadLetters",
					this.deadLetters.list(queue, 0, deadLetterCount).stream().map(DeadLetter::of).toList());
			return shown;
		}
		catch (DataAccessException ex) {
			return shown.failed(ex);
		}
	}

	private static Shown shown(String queue, @Nullable QueueCounts counts, List<JobWorkers.WorkerState> states,
			Set<String> unhandledNow) {
		Map<String, @Nullable Object> shown = new LinkedHashMap<>();
		shown.put("waiting", (counts != null) ? counts.waiting() : null);
		shown.put("delayed", (counts != null) ? counts.delayed() : null);
		shown.put("active", (counts != null) ? counts.active() : null);
		shown.put("completed", (counts != null) ? counts.completed() : null);
		shown.put("dead", (counts != null) ? counts.dead() : null);
		shown.put("pausedForMillis", (counts != null) ? counts.pausedForMillis() : null);
		shown.put("deadTrimmed", (counts != null) ? counts.deadTrimmed() : null);
		shown.put("unhandled", unhandledNow.contains(queue));
		shown.put("workers", states.stream().filter((state) -> state.queue().equals(queue)).toList());
		shown.put("deadLetters", List.of());
		return new Shown(shown, false);
	}

	/**
	 * One queue as shown, and whether reading it found Redis away (asking again for the next queue would wait for
	 * the queue timeout once more).
	 */
	private record Shown(Map<String, @Nullable Object> map, boolean unreachable) {

		Shown error(String error) {
			this.map.put("error", error);
			return this;
		}

		Shown failed(DataAccessException ex) {
			error(String.valueOf(ex.getMessage()));
			return new Shown(this.map,
					ex instanceof RedisConnectionFailureException || ex instanceof QueryTimeoutException);
		}

	}

	private static String requireName(String queue) {
		try {
			return QueueKeys.requireName(queue);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

}
