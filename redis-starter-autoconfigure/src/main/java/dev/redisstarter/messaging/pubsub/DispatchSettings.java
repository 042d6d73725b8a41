package dev.redisstarter.messaging.pubsub;

/**
 * How a listener's messages are handed to its threads.
 *
 * @param concurrency how many threads run the listener
 * @param queueCapacity how many received messages may wait for a thread, over all of them
 * @param whenFull what happens to a message that finds the queue full
 * @param ordered whether messages of one channel are handled one at a time in the order they were published
 * (each channel is given to one thread); when false, any thread takes the next message
 */
public record DispatchSettings(int concurrency, int queueCapacity, WhenFull whenFull, boolean ordered) {

	/** One thread, 10,000 waiting messages, the reader waits when they are full, channel order kept. */
	public static final DispatchSettings DEFAULTS = new DispatchSettings(1, 10_000, WhenFull.BLOCK, true);

	/**
	 * Checked settings.
	 * @param concurrency at least 1
	 * @param queueCapacity at least {@code concurrency}
	 * @param whenFull not null
	 * @param ordered per-channel order
	 */
	public DispatchSettings {
		if (concurrency < 1 || concurrency > 256) {
			throw new IllegalArgumentException("concurrency must be between 1 and 256, was " + concurrency);
		}
		if (queueCapacity < concurrency) {
			throw new IllegalArgumentException(
					"queue-capacity must be at least the concurrency (" + concurrency + "), was " + queueCapacity);
		}
		if (whenFull == null) {
			throw new IllegalArgumentException("when-full must be set");
		}
	}

}
