package dev.redisstarter.benchmarks.pubsub;

/** One way of publishing and listening that the harness drives: the starter's, or plain Spring Data Redis's. */
interface Side extends AutoCloseable {

	/** The label in the table. */
	String name();

	/** What publishes and what listens, for the report. */
	String description();

	/** Publishes one tick and waits for Redis's reply (the number of receivers). */
	void publish(Tick tick);

	/** What the listener hands each tick to. */
	Receiver receiver();

	@Override
	void close();

}
