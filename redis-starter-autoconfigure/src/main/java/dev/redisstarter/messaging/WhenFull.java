package dev.redisstarter.messaging;

/**
 * What a listener's dispatch does with a message when its queue is full (the listener is slower than the
 * publishers).
 */
public enum WhenFull {

	/**
	 * The subscription's reader waits for room: nothing is dropped, and the back-pressure reaches Redis, which
	 * buffers for the connection up to its {@code client-output-buffer-limit pubsub} and then disconnects it
	 * (the subscriber reconnects; what was buffered is lost). While it waits, other subscriptions read by the
	 * same connection wait too.
	 */
	BLOCK,

	/** The message is dropped and counted ({@code redis.starter.messaging.dropped}); the reader never waits. */
	DROP

}
