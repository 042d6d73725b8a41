package dev.redisstarter.messaging;

import dev.redisstarter.core.RedisUnavailableException;

/**
 * A publish or request could not reach Redis within the messaging timeout, or the circuit is open.
 */
public class MessagingUnavailableException extends RedisUnavailableException {

	private static final long serialVersionUID = 1L;

	/**
	 * An exception for a channel.
	 * @param channel the channel, as Redis names it
	 * @param cause what failed
	 */
	public MessagingUnavailableException(String channel, Throwable cause) {
		super("Could not publish on channel '" + channel + "': " + cause.getMessage(), cause);
	}

}
