package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.RedisUnavailableException;

/**
 * A publish or request could not reach Redis within the messaging timeout, or the circuit is open.
 */
public class MessagingUnavailableException extends RedisUnavailableException {

	private static final long serialVersionUID = 1L;

	/**
	 * An exception for a channel.
	 * @param channel the channel, as Redis names it
	 * @param operation what was tried, such as "publish on"
	 * @param cause what failed
	 */
	public MessagingUnavailableException(String channel, String operation, Throwable cause) {
		super("Could not " + operation + " channel '" + channel + "': " + cause.getMessage(), cause);
	}

}
