package dev.redisstarter.messaging.pubsub;

/**
 * The listener that answered a {@link MessageBus#request request} replied, but its reply could not be read as the
 * reply type asked for (the requester and the listener disagree on the reply's type). A
 * {@link MessageRequestFailedException}, so that code catching that one still catches it; the listener itself did
 * not fail.
 */
public class MessageReplyUnreadableException extends MessageRequestFailedException {

	private static final long serialVersionUID = 1L;

	private final String replyType;

	/**
	 * An exception for a reply.
	 * @param channel the channel, as Redis names it
	 * @param replyType the type the reply was to be read as
	 * @param reason why it could not be (Jackson's message)
	 */
	public MessageReplyUnreadableException(String channel, String replyType, String reason) {
		super("The reply on channel '" + channel + "' could not be read as " + replyType + ": " + reason, channel,
				"the reply could not be read as " + replyType + ": " + reason);
		this.replyType = replyType;
	}

	/**
	 * The type the reply was to be read as.
	 * @return its name
	 */
	public String getReplyType() {
		return this.replyType;
	}

}
