package dev.redisstarter.messaging.schedule;

import java.time.Duration;

import dev.redisstarter.messaging.queue.JobOptions;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.stream.StreamPublisher;
import dev.redisstarter.test.schedule.EventLedger;

/**
 * Enqueues a job and adds a stream entry every {@link #PACE} on a thread of its own, and records each in the ledger
 * once its call returned. A call that fails (Redis away) is tried again with the same id until it returns: the
 * job's id makes the enqueue idempotent; an add that timed out but was applied may add the entry twice (a duplicate
 * the README allows). A call still failing when the producer stops is abandoned, not recorded.
 */
final class Producer implements AutoCloseable {

	static final String JOB_ACCEPTED = "job-accepted";

	static final String ENTRY_ACCEPTED = "entry-accepted";

	private static final Duration PACE = Duration.ofMillis(25);

	private final JobQueue jobs;

	private final StreamPublisher streams;

	private final EventLedger ledger;

	private final Thread thread;

	private volatile boolean stopping;

	Producer(JobQueue jobs, StreamPublisher streams, EventLedger ledger) {
		this.jobs = jobs;
		this.streams = streams;
		this.ledger = ledger;
		this.thread = new Thread(this::produce, "schedule-producer");
	}

	void start() {
		this.thread.start();
	}

	private void produce() {
		for (long n = 1; !this.stopping; n++) {
			String job = "j-" + n;
			if (retried(() -> this.jobs.enqueue(ScheduleApplication.QUEUE, new Work(job), JobOptions.defaults().withJobId(job)))) {
				this.ledger.record(JOB_ACCEPTED, job);
			}
			String entry = "e-" + n;
			if (retried(() -> this.streams.add(ScheduleApplication.STREAM, new Work(entry)))) {
				this.ledger.record(ENTRY_ACCEPTED, entry);
			}
			pause(PACE);
		}
	}

	private boolean retried(Runnable call) {
		while (!this.stopping) {
			try {
				call.run();
				return true;
			}
			catch (RuntimeException ex) {
				pause(Duration.ofMillis(100));
			}
		}
		return false;
	}

	private void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.stopping = true;
		}
	}

	/** Stops producing and waits for the thread. */
	@Override
	public void close() {
		this.stopping = true;
		try {
			this.thread.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
