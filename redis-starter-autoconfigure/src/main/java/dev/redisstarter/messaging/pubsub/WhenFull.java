package dev.redisstarter.messaging.pubsub;

/**
 * What a listener's dispatch does with a message when its queue is full (the listener is slower than the
 * publishers).
 */
public enum WhenFull {

	/**
	 * The subscriber's delivery thread waits for room: nothing is dropped while the subscriber's inbox
	 * ({@code redis.starter.messaging.inbox-limit}, 32 MB) has room; beyond it messages are dropped and counted.
	 * While it waits, every other listener waits too (one delivery thread keeps arrival order); Lettuce's I/O
	 * threads never wait.
	 */
	BLOCK,

	/** The message is dropped and counted ({@code redis.starter.messaging.dropped}); the reader never waits. */
	DROP

}
