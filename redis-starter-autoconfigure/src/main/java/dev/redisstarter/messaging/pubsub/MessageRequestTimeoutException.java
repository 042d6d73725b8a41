package dev.redisstarter.messaging.pubsub;

import java.time.Duration;

/**
 * No reply came to a {@link MessageBus#request request} in time: nobody listens on the channel, every listener
 * was too slow, or the listeners are {@code void} methods (which never answer; a method that returns
 * {@code null} answers {@code null}).
 */
public class MessageRequestTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String channel;

	private final Duration timeout;

	/**
	 * An exception for a request.
	 * @param channel the channel, as Redis names it
	 * @param timeout how long it waited
	 * @param receivers how many subscribers the request reached (-1 when unknown)
	 */
	public MessageRequestTimeoutException(String channel, Duration timeout, long receivers) {
		super("No reply on channel '" + channel + "' within " + timeout.toMillis() + " ms"
				+ ((receivers == 0) ? " (no subscriber received the request)"
						: (receivers > 0) ? " (" + receivers + " subscriber(s) received the request)" : ""));
		this.channel = channel;
		this.timeout = timeout;
	}

	/**
	 * The channel the request went to.
	 * @return its name in Redis
	 */
	public String getChannel() {
		return this.channel;
	}

	/**
	 * How long the request waited.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

}
