package dev.redisstarter.messaging.queue;

import dev.redisstarter.core.MeterSpec;
import dev.redisstarter.core.StarterMeter;

import static dev.redisstarter.core.MeterSpec.counter;
import static dev.redisstarter.core.MeterSpec.gauge;
import static dev.redisstarter.core.MeterSpec.timer;
import static dev.redisstarter.core.MeterTag.OUTCOME;
import static dev.redisstarter.core.MeterTag.QUEUE;
import static dev.redisstarter.core.MeterTag.SCHEDULE;
import static dev.redisstarter.core.MeterTag.STATE;

/**
 * The job queue's meters, tagged {@code queue} (the schedules' ticks: {@code schedule}). Each queue name has its
 * meters for the application's life: use a fixed set of queue names.
 */
public enum QueueMeter implements StarterMeter {

	/** Jobs enqueued. */
	ENQUEUED(jobs("enqueued", "Jobs enqueued, scheduled jobs included")),

	/** Attempts started. */
	STARTED(jobs("started", "Job attempts started")),

	/** Completions, each counted once even when its reply was lost and it was written again. */
	COMPLETED(jobs("completed", "Jobs completed, each counted once")),

	/** Attempts whose handler failed. */
	FAILED(jobs("failed", "Job attempts whose handler failed")),

	/** Failed jobs given another attempt. */
	RETRIED(jobs("retried", "Failed jobs scheduled for another attempt")),

	/** Leases that expired while the handler ran. */
	STALLED(jobs("stalled", "Jobs whose lease expired while the handler ran")),

	/** Leases that expired before a start mark arrived. */
	RECLAIMED(jobs("reclaimed", "Jobs whose lease expired before a start mark arrived, taken back to be run again")),

	/** Jobs that spent their attempts. */
	DEAD_LETTERED(jobs("dead-lettered", "Jobs moved to the dead letters, attempts spent")),

	/** Dead letters dropped by their bounds. */
	DEAD_LETTERS_TRIMMED(jobs("dead-letters.trimmed", "Dead letters dropped to keep the dead letters' bounds")),

	/** From enqueue, or from a delayed job's due time, to the start. */
	WAITING(timer("redis.starter.queue.waiting",
			"Time jobs waited from enqueue, or from the due time of a delayed job, to their start", QUEUE)),

	/** Handling time, only without observations (the observation's timer times it then). */
	HANDLING(timer("redis.starter.queue.handling", "Time the handler took to run a job attempt", QUEUE)),

	/** Jobs by state, refreshed by the workers' maintenance. */
	JOBS(gauge("redis.starter.queue.jobs", "jobs",
			"Jobs in the queue by state (waiting, delayed, active, dead), refreshed every stalled-interval", QUEUE, STATE)),

	/** Jobs due on a queue no worker serves, counted by the instances that enqueue to it. */
	UNHANDLED(gauge("redis.starter.queue.unhandled", "jobs",
			"Jobs due on a queue this instance enqueued to that no worker serves (0 while served)", QUEUE)),

	/** Counted by the handler's circuit, read by Micrometer. */
	CIRCUIT_OPENINGS(counter("redis.starter.queue.circuit.openings", "openings", "Times the job handler's circuit opened",
			QUEUE)),

	/** A state, not a quantity: no base unit. */
	CIRCUIT_OPEN(gauge("redis.starter.queue.circuit.open", null,
			"1 while the job handler's circuit is open or probing, else 0", QUEUE)),

	/** Ticks of job schedules, each counted by the one instance that took it. */
	SCHEDULE_TICKS(counter("redis.starter.queue.schedule.ticks", "ticks", "Ticks of job schedules, each counted once"
			+ " across instances: enqueued on time, missed (a missed tick enqueued late) or skipped (missed, no job)",
			SCHEDULE, OUTCOME));

	private final MeterSpec spec;

	QueueMeter(MeterSpec spec) {
		this.spec = spec;
	}

	private static MeterSpec jobs(String what, String description) {
		return counter("redis.starter.queue." + what, "jobs", description, QUEUE);
	}

	@Override
	public MeterSpec spec() {
		return this.spec;
	}

}
