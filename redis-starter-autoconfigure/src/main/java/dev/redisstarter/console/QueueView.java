package dev.redisstarter.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.messaging.queue.JobDeadLetters;
import dev.redisstarter.messaging.queue.JobInfo;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.JobState;
import dev.redisstarter.messaging.queue.JobWorkers;
import dev.redisstarter.messaging.queue.QueueKeys;
import dev.redisstarter.messaging.queue.WorkerCheckIn;
import dev.redisstarter.messaging.queue.actuate.JobQueuesEndpoint;

/**
 * The console's job queues: the queues and counts of {@code /actuator/jobqueues} (the same
 * {@link JobQueuesEndpoint} logic, whether or not that endpoint is exposed), lists of jobs by state, one job in full,
 * and the actions the queue API offers (retry and delete a dead job, pause a queue). A list reads at most
 * {@code list-size} ids from the state's sorted set ({@code ZRANGE}, newest first for completed jobs) and each job
 * with the queue's own read; payloads in lists are cut to {@code payload-preview} characters.
 */
public final class QueueView {

	/**
	 * A job as lists show it.
	 *
	 * @param id its id
	 * @param state its state
	 * @param attempts attempts started
	 * @param maxAttempts attempts it gets
	 * @param createdAt when it was enqueued
	 * @param runAt when it may run
	 * @param finishedAt when it completed or died
	 * @param errorType the last error's class
	 * @param errorMessage the last error's message
	 * @param payload its payload, cut
	 */
	public record JobLine(String id, String state, int attempts, int maxAttempts, @Nullable Instant createdAt,
			@Nullable Instant runAt, @Nullable Instant finishedAt, @Nullable String errorType,
			@Nullable String errorMessage, @Nullable String payload) {
	}

	/**
	 * One queue in the overview.
	 *
	 * @param name its name
	 * @param waiting jobs ready to run
	 * @param delayed jobs waiting for their time
	 * @param active jobs a worker holds
	 * @param completed completed jobs kept
	 * @param dead dead letters
	 * @param pausedForMillis how long it stays paused (0: not paused)
	 * @param unhandled whether it holds jobs due that no worker serves
	 * @param workers this instance's workers
	 * @param instances the workers of every instance, as they last checked in
	 * @param deadLetters its most recent dead letters
	 * @param error why it could not be read
	 */
	public record QueueLine(String name, @Nullable Long waiting, @Nullable Long delayed, @Nullable Long active,
			@Nullable Long completed, @Nullable Long dead, @Nullable Long pausedForMillis, boolean unhandled,
			List<JobWorkers.WorkerState> workers, List<WorkerCheckIn> instances, List<JobLine> deadLetters,
			@Nullable String error) {
	}

	/**
	 * Jobs of one state.
	 *
	 * @param queue the queue
	 * @param state the state
	 * @param total how many jobs have it
	 * @param jobs the first {@code list-size} of them
	 */
	public record JobList(String queue, String state, long total, List<JobLine> jobs) {
	}

	private final JobQueuesEndpoint endpoint;

	private final JobQueue jobs;

	private final JobDeadLetters deadLetters;

	private final ConsoleSettings settings;

	QueueView(JobQueuesEndpoint endpoint, JobQueue jobs, JobDeadLetters deadLetters, ConsoleSettings settings) {
		this.endpoint = Objects.requireNonNull(endpoint, "endpoint must not be null");
		this.jobs = Objects.requireNonNull(jobs, "jobs must not be null");
		this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
	}

	/**
	 * Every known queue.
	 * @return per queue, sorted by name
	 */
	public List<QueueLine> queues() {
		List<QueueLine> lines = new ArrayList<>();
		this.endpoint.queues(previewRead()).queues().forEach((name, queue) -> {
			List<JobLine> letters = queue.deadLetters()
				.stream()
				.limit(this.settings.listSize())
				.map((letter) -> new JobLine(letter.id(), JobState.DEAD.wireName(), letter.attempts(),
						letter.attempts(), null, null, letter.finishedAt(), letter.errorType(), letter.errorMessage(),
						this.settings.preview(letter.payload())))
				.toList();
			String error = queue.error();
			List<WorkerCheckIn> instances = List.of();
			if (error == null) {
				try {
					instances = this.jobs.workers(name, this.settings.listSize());
				}
				catch (RuntimeException ex) {
					error = "Workers not read: " + ex.getMessage();
				}
			}
			lines.add(new QueueLine(name, queue.waiting(), queue.delayed(), queue.active(), queue.completed(),
					queue.dead(), queue.pausedForMillis(), queue.unhandled(), queue.workers(), instances, letters,
					error));
		});
		return lines;
	}

	/**
	 * The first jobs of a state.
	 * @param queue the queue
	 * @param state the state's wire name
	 * @return the list
	 * @throws IllegalArgumentException for an unknown state or a bad queue name
	 */
	public JobList list(String queue, String state) {
		QueueKeys.requireName(queue);
		// list-size has no upper bound (it also sizes the other lists); JobQueue.jobs lists at most 1,000.
		int count = Math.min(this.settings.listSize(), MAX_LISTED);
		dev.redisstarter.messaging.queue.JobList found = this.jobs.jobs(queue, state(state), count, previewRead());
		return new JobList(queue, found.state().wireName(), found.total(), found.jobs().stream().map(this::line).toList());
	}

	/**
	 * One job in full.
	 * @param queue the queue
	 * @param jobId the job's id
	 * @return the job, when kept
	 */
	public Optional<JobInfo> job(String queue, String jobId) {
		return this.jobs.job(QueueKeys.requireName(queue), jobId);
	}

	/**
	 * Sends a dead job back to waiting, its attempts reset.
	 * @param queue the queue
	 * @param jobId the job's id
	 * @return whether it was a dead letter
	 */
	public boolean retry(String queue, String jobId) {
		return this.deadLetters.replay(QueueKeys.requireName(queue), jobId);
	}

	/**
	 * Deletes a dead job.
	 * @param queue the queue
	 * @param jobId the job's id
	 * @return whether it was a dead letter
	 */
	public boolean delete(String queue, String jobId) {
		return this.deadLetters.purge(QueueKeys.requireName(queue), jobId);
	}

	/**
	 * Pauses every worker of the queue, in every instance.
	 * @param queue the queue
	 * @param pause how long
	 */
	public void pause(String queue, Duration pause) {
		this.jobs.pause(QueueKeys.requireName(queue), pause);
	}

	/**
	 * Makes a delayed job waiting now.
	 * @param queue the queue
	 * @param jobId the delayed job
	 * @return whether it was a delayed job
	 */
	public boolean promote(String queue, String jobId) {
		return this.jobs.promote(QueueKeys.requireName(queue), jobId);
	}

	/**
	 * Ends the queue's pause at once.
	 * @param queue the queue
	 * @return the pause that was left
	 */
	public Duration resume(String queue) {
		return this.jobs.resume(QueueKeys.requireName(queue));
	}

	/**
	 * Deletes every dead letter of the queue.
	 * @param queue the queue
	 * @return how many were deleted
	 */
	public long purgeDead(String queue) {
		return this.deadLetters.purgeAll(QueueKeys.requireName(queue));
	}

	private JobLine line(JobInfo job) {
		return new JobLine(job.id(), job.state().wireName(), job.attempts(), job.maxAttempts(), job.createdAt(),
				job.runAt(), job.finishedAt(), job.errorType(), job.errorMessage(), this.settings.preview(job.payload()));
	}

	/** The most jobs {@link JobQueue#jobs} lists at once. */
	private static final int MAX_LISTED = 1_000;

	/**
	 * Two characters more than the preview, so that {@link ConsoleSettings#preview} sees what was cut as longer than
	 * the preview and marks it: the read may end one character short rather than in half a surrogate pair.
	 */
	private int previewRead() {
		return (int) Math.min(Integer.MAX_VALUE, this.settings.payloadPreview() + 2L);
	}

	static JobState state(String state) {
		for (JobState candidate : JobState.values()) {
			if (candidate.wireName().equals(state)) {
				return candidate;
			}
		}
		throw new IllegalArgumentException("Unknown job state '" + state + "': waiting, delayed, active, completed or dead");
	}



}
