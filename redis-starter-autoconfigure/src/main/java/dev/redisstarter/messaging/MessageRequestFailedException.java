package dev.redisstarter.messaging;

/**
 * The listener that answered a {@link MessageBus#request request} threw; its exception's class and message
 * came back instead of a reply.
 */
public class MessageRequestFailedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * An exception for a request.
	 * @param channel the channel, as Redis names it
	 * @param remoteError the listener's exception, as {@code "Class: message"}
	 */
	public MessageRequestFailedException(String channel, String remoteError) {
		super("The listener on channel '" + channel + "' failed: " + remoteError);
	}

}
