package dev.redisstarter.benchmarks.queue;

/**
 * What one measured run does, the same on both sides.
 */
enum Phase {

	/** Single adds from {@code --producers} concurrent producers sharing one client. */
	ENQUEUE_SINGLE("enqueue-single", "enqueue, single adds", 0),

	/** Bulk adds of {@code --batch} jobs, one producer, each batch awaited before the next. */
	ENQUEUE_BULK("enqueue-bulk", "enqueue, bulk adds", 0),

	/**
	 * Single adds sent without waiting ({@code enqueueAsync}) from one producer, against BullMQ's bulk adds (its way
	 * of not waiting for each job).
	 */
	ENQUEUE_ASYNC("enqueue-bulk", "enqueue, starter enqueueAsync vs BullMQ addBulk", 0),

	/** A backlog drained by one worker with concurrency 16. */
	DRAIN_16("drain", "drain", 16),

	/** A backlog drained by one worker with concurrency 1. */
	DRAIN_1("drain", "drain", 1),

	/** Paced adds to an idle worker: add-to-handler-start latency. */
	LATENCY("latency", "add-to-start latency", 0);

	private final String script;

	private final String label;

	private final int concurrency;

	Phase(String script, String label, int concurrency) {
		this.script = script;
		this.label = label;
		this.concurrency = concurrency;
	}

	/** The phase's name for {@code bench.mjs --phase}. */
	String script() {
		return this.script;
	}

	String label() {
		return this.label;
	}

	/** The worker's concurrency for a drain, 0 for the other phases. */
	int concurrency() {
		return this.concurrency;
	}

	boolean isDrain() {
		return this.concurrency > 0;
	}

	boolean isEnqueue() {
		return this == ENQUEUE_SINGLE || this == ENQUEUE_BULK || this == ENQUEUE_ASYNC;
	}

}
