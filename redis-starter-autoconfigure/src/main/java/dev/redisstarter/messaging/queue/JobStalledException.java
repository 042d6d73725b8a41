package dev.redisstarter.messaging.queue;

/**
 * The error a dead letter carries when its job stalled more than {@code max-stalled} times: each time, its
 * worker stopped renewing the lease (crashed, killed, frozen, cut off from Redis). Never thrown in the
 * application; its name is written by the stalled-job check in Redis.
 */
public class JobStalledException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * An exception with a message.
	 * @param message what happened
	 */
	public JobStalledException(String message) {
		super(message);
	}

}
