package dev.redisstarter.messaging.pubsub;

import org.jspecify.annotations.Nullable;

/**
 * A message a listener could not handle.
 *
 * @param listener the listener's id ({@code @RedisListener(id)}, else {@code Class.method})
 * @param channel the channel the message came on, as Redis names it
 * @param pattern the pattern it matched, or {@code null}
 * @param payload the payload as received (after the starter's envelope, if any, was removed)
 * @param reason why it failed
 * @param error what was thrown
 */
public record ListenerFailure(String listener, String channel, @Nullable String pattern, byte[] payload,
		Reason reason, Throwable error) {

	/** Why a message was not handled. */
	public enum Reason {

		/** The listener method threw. */
		HANDLER,

		/** The payload could not be read as the method's parameter type (or the envelope was malformed). */
		PAYLOAD

	}

}
