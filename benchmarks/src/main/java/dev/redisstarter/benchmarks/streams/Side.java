package dev.redisstarter.benchmarks.streams;

/**
 * One way of consuming a stream with a consumer group that the harness drives: the starter's
 * {@code @StreamListener} (single or batch form) or a plain Spring Data Redis {@code StreamMessageListenerContainer}.
 * Between runs the side is stopped; the harness refills its stream, then starts it and waits until every entry is
 * handled and acknowledged.
 */
interface Side extends AutoCloseable {

	/** The label in the table. */
	String name();

	/** How many entries it handles at once. */
	int concurrency();

	/** What reads, hands over and acknowledges, for the report. */
	String description();

	/** The stream's key. */
	String key();

	/** The consumer group. */
	String group();

	/** Starts consuming; the run's clock starts just before. */
	void start();

	/** Stops consuming and waits for its threads. */
	void stop();

	@Override
	void close();

}
