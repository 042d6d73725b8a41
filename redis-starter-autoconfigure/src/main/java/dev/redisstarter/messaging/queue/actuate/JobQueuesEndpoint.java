package dev.redisstarter.messaging.queue.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
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
import dev.redisstarter.messaging.queue.JobState;
import dev.redisstarter.messaging.queue.JobWorkers;
import dev.redisstarter.messaging.queue.QueueCounts;
import dev.redisstarter.messaging.queue.QueueKeys;
import dev.redisstarter.messaging.queue.UnhandledQueues;

/**
 * {@code /actuator/jobqueues}: the queues this application handles (and those configured by name, and those this
 * instance enqueued to, a misspelled one included) with their counts, whether the queue is {@code unhandled} (holds
 * jobs due that no worker on any instance has served for {@code unhandled-after}, see {@link UnhandledQueues}), this
 * instance's workers and their most recent dead letters; {@code /actuator/jobqueues/{queue}} one
 * queue with more dead letters; {@code /actuator/jobqueues/{queue}/{jobId}} one job in full (404 when not kept).
 * {@code POST /actuator/jobqueues/{queue}/{jobId}} replays a dead letter ({@code all}: every one), {@code DELETE}
 * on the same path purges. The endpoint is read-only by default ({@link Access#READ_ONLY}): replay and purge
 * exist only with {@code management.endpoint.jobqueues.access=unrestricted}. While Redis is unreachable the read
 * operations answer at once with what this instance knows (its workers) and an {@code error} per queue; the
 * others fail with the queue's {@code JobQueueUnavailableException}.
 */
@Endpoint(id = "jobqueues", defaultAccess = Access.READ_ONLY)
public class JobQueuesEndpoint {

	/** The selector that stands for every dead letter of a queue. */
	public static final String ALL = "all";

	private static final int LISTED_DEAD_LETTERS = 20;

	private static final int QUEUE_DEAD_LETTERS = 100;

	/** Characters of a dead letter's payload and message in the lists (the job's own read has them whole). */
	public static final int PAYLOAD_PREVIEW = 1_000;

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
	 * @param payload its payload as JSON text, cut to {@link #PAYLOAD_PREVIEW} characters (a longer one is not valid JSON)
	 */
	public record DeadLetter(String id, int attempts, int runs, int stalled, @Nullable String errorType,
			@Nullable String errorMessage, @Nullable Instant finishedAt, String payload) {

		static DeadLetter of(JobInfo job) {
			return new DeadLetter(job.id(), job.attempts(), job.runs(), job.stalled(), job.errorType(),
					job.errorMessage(), job.finishedAt(), job.payload());
		}

	}

	/**
	 * {@code GET /actuator/jobqueues}.
	 *
	 * @param queues per queue name, sorted
	 */
	public record Queues(Map<String, QueueDescriptor> queues) implements OperationResponseBody {
	}

	/**
	 * One queue. The counts are {@code null} when Redis could not be read ({@code error} says why).
	 *
	 * @param waiting jobs ready to run
	 * @param delayed jobs waiting for their time (delays, back-offs)
	 * @param active jobs a worker holds
	 * @param completed completed jobs still kept
	 * @param dead dead letters
	 * @param pausedForMillis how long the queue stays paused (0 when it is not)
	 * @param deadTrimmed dead letters dropped to keep {@code dead.max-count}
	 * @param unhandled whether the queue holds jobs due that no worker on any instance serves (as this instance
	 * found at its last check of a queue it enqueued to)
	 * @param workers this instance's workers of the queue
	 * @param deadLetters the most recent dead letters
	 * @param error why the queue could not be read; absent from the JSON when it could
	 */
	public record QueueDescriptor(@Nullable Long waiting, @Nullable Long delayed, @Nullable Long active,
			@Nullable Long completed, @Nullable Long dead, @Nullable Long pausedForMillis, @Nullable Long deadTrimmed,
			boolean unhandled, List<JobWorkers.WorkerState> workers, List<DeadLetter> deadLetters,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error) implements OperationResponseBody {

		static QueueDescriptor of(@Nullable QueueCounts counts, boolean unhandled, List<JobWorkers.WorkerState> workers,
				List<DeadLetter> deadLetters, @Nullable String error) {
			return (counts != null)
					? new QueueDescriptor(counts.waiting(), counts.delayed(), counts.active(), counts.completed(),
							counts.dead(), counts.pausedForMillis(), counts.deadTrimmed(), unhandled, workers, deadLetters,
							error)
					: new QueueDescriptor(null, null, null, null, null, null, null, unhandled, workers, deadLetters,
							error);
		}

	}

	/**
	 * The result of a replay, the same in {@code /actuator/streams}.
	 *
	 * @param replayed how many dead letters went back to be handled
	 */
	public record Replayed(long replayed) implements OperationResponseBody {
	}

	/**
	 * The result of a purge, the same in {@code /actuator/streams}.
	 *
	 * @param purged how many dead letters were deleted
	 */
	public record Purged(long purged) implements OperationResponseBody {
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
	 * @return per queue its counts, workers, most recent dead letters and any {@code error}
	 */
	@ReadOperation
	public Queues queues() {
		return queues(PAYLOAD_PREVIEW);
	}

	/**
	 * Every known queue, its dead letters' payloads and messages cut to a preview.
	 * @param previewChars characters of a payload or message kept, 1 or more
	 * @return per queue its counts, workers, most recent dead letters and any {@code error}
	 */
	public Queues queues(int previewChars) {
		Set<String> names = new TreeSet<>(this.configured);
		names.addAll(this.workers.queues());
		names.addAll(this.unhandled.queues());
		List<JobWorkers.WorkerState> states = this.workers.states();
		Set<String> unhandledNow = this.unhandled.unhandled().keySet();
		Map<String, QueueDescriptor> queues = new LinkedHashMap<>();
		String skipped = null;
		for (String name : names) {
			if (skipped != null) {
				queues.put(name, QueueDescriptor.of(null, unhandledNow.contains(name), workersOf(name, states), List.of(),
						skipped));
				continue;
			}
			Read read = read(name, states, unhandledNow.contains(name), LISTED_DEAD_LETTERS, previewChars);
			if (read.unreachable()) {
				skipped = "Not read: Redis did not answer for queue '" + name + "'";
			}
			queues.put(name, read.shown());
		}
		return new Queues(queues);
	}

	/**
	 * One queue, whether or not this application handles it.
	 * @param queue the queue's name
	 * @return its counts, workers, most recent dead letters and any {@code error}
	 */
	@ReadOperation
	public QueueDescriptor queue(@Selector String queue) {
		return read(requireName(queue), this.workers.states(), this.unhandled.unhandled().containsKey(queue),
				QUEUE_DEAD_LETTERS, PAYLOAD_PREVIEW)
			.shown();
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
	 * Replays a dead letter: puts it back to waiting, its attempts reset. A write operation, so only there with
	 * {@code management.endpoint.jobqueues.access=unrestricted}.
	 * @param queue the queue's name
	 * @param jobId the job's id, or {@code all}
	 * @return how many were replayed (0 when the job is not a dead letter)
	 */
	@WriteOperation
	public Replayed replay(@Selector String queue, @Selector String jobId) {
		requireName(queue);
		long replayed = jobId.equals(ALL) ? this.deadLetters.replayAll(queue)
				: (this.deadLetters.replay(queue, jobId) ? 1 : 0);
		return new Replayed(replayed);
	}

	/**
	 * Deletes a dead letter. A write operation, so only there with
	 * {@code management.endpoint.jobqueues.access=unrestricted}.
	 * @param queue the queue's name
	 * @param jobId the job's id, or {@code all}
	 * @return how many were deleted (0 when the job is not a dead letter)
	 */
	@DeleteOperation
	public Purged purge(@Selector String queue, @Selector String jobId) {
		requireName(queue);
		long purged = jobId.equals(ALL) ? this.deadLetters.purgeAll(queue)
				: (this.deadLetters.purge(queue, jobId) ? 1 : 0);
		return new Purged(purged);
	}

	private Read read(String queue, List<JobWorkers.WorkerState> states, boolean unhandled, int deadLetterCount,
			int previewChars) {
		List<JobWorkers.WorkerState> workers = workersOf(queue, states);
		QueueCounts counts;
		try {
			counts = this.jobs.counts(queue);
		}
		catch (DataAccessException ex) {
			return Read.failed(null, unhandled, workers, ex);
		}
		try {
			List<DeadLetter> letters = this.jobs.jobs(queue, JobState.DEAD, deadLetterCount, previewChars)
				.jobs()
				.stream()
				.filter((job) -> job.state() == JobState.DEAD)
				.map(DeadLetter::of)
				.toList();
			return new Read(QueueDescriptor.of(counts, unhandled, workers, letters, null), false);
		}
		catch (DataAccessException ex) {
			return Read.failed(counts, unhandled, workers, ex);
		}
	}

	private static List<JobWorkers.WorkerState> workersOf(String queue, List<JobWorkers.WorkerState> states) {
		return states.stream().filter((state) -> state.queue().equals(queue)).toList();
	}

	/**
	 * One queue as shown, and whether reading it found Redis away (asking again for the next queue would wait for
	 * the queue timeout once more).
	 */
	private record Read(QueueDescriptor shown, boolean unreachable) {

		static Read failed(@Nullable QueueCounts counts, boolean unhandled, List<JobWorkers.WorkerState> workers,
				DataAccessException ex) {
			return new Read(QueueDescriptor.of(counts, unhandled, workers, List.of(), String.valueOf(ex.getMessage())),
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
