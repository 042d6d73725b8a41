package dev.redisstarter.messaging.pubsub;

/**
 * The listener that answered a {@link MessageBus#request request} threw; its exception's class and message
 * came back instead of a reply. Its subclass {@link MessageReplyUnreadableException}: the listener answered, but
 * the reply could not be read as the type asked for.
 */
public class MessageRequestFailedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String channel;

	private final String remoteError;

	/**
	 * An exception for a request.
	 * @param channel the channel, as Redis names it
	 * @param remoteError the listener's exception, as {@code "Class: message"}
	 */
	public MessageRequestFailedException(String channel, String remoteError) {
		this("The listener on channel '" + channel + "' failed: " + remoteError, channel, remoteError);
	}

	/**
	 * An exception for a request, with its own message.
	 * @param message the message
	 * @param channel the channel, as Redis names it
	 * @param remoteError what went wrong, as {@code "Class: message"} or a sentence
	 */
	protected MessageRequestFailedException(String message, String channel, String remoteError) {
		super(message);
		this.channel = channel;
		this.remoteError = remoteError;
	}

	/**
	 * The channel the request went to.
	 * @return its name in Redis
	 */
	public String getChannel() {
		return this.channel;
	}

	/**
	 * What the listener threw, as {@code "fully.qualified.ExceptionClass: message"} (or why its reply could not
	 * be read).
	 * @return the remote error
	 */
	public String getRemoteError() {
		return this.remoteError;
	}

	/**
	 * The class name of what the listener threw.
	 * @return the part of {@link #getRemoteError()} before the first {@code ": "}
	 */
	public String getRemoteErrorClass() {
		int colon = this.remoteError.indexOf(": ");
		return (colon >= 0) ? this.remoteError.substring(0, colon) : this.remoteError;
	}

}
