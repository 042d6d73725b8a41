package dev.redisstarter.messaging.queue;

import dev.redisstarter.core.RedisUnavailableException;

/**
 * Redis did not answer a queue operation within {@code redis.starter.queue.timeout}, or the starter's circuit
 * breaker knows it is unreachable. Nothing was enqueued when an enqueue throws it before Redis received the
 * script; a timeout leaves that unknown (enqueue with a job id to make a retry safe).
 */
public class JobQueueUnavailableException extends RedisUnavailableException {

	private static final long serialVersionUID = 1L;

	/**
	 * An exception for a queue.
	 * @param queue the queue's name
	 * @param operation what was tried, such as "enqueue"
	 * @param cause what failed
	 */
	public JobQueueUnavailableException(String queue, String operation, Throwable cause) {
		super("Could not " + operation + " on queue '" + queue + "': " + cause.getMessage(), cause);
	}

}
