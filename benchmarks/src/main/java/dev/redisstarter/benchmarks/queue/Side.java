package dev.redisstarter.benchmarks.queue;

/**
 * One job queue the harness measures: BullMQ in a Node.js process ({@link BullSide}) or the starter in this JVM
 * ({@link StarterSide}). Before each run the harness flushes the server; the side warms up, measures, and reads the
 * server's counters around the measured window itself.
 */
interface Side extends AutoCloseable {

	/** The label in the table. */
	String name();

	/** Versions and settings, for the report. */
	String description();

	/** Runs one phase on the flushed server and tells what it measured. */
	PhaseResult run(Phase phase, Settings settings, int repetition) throws Exception;

	@Override
	void close();

}
