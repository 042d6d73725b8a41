package dev.redisstarter.messaging.pubsub;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The default {@link ListenerErrorHandler}: logs at ERROR with the listener and the channel (a payload that
 * does not parse without its stack trace, with its first 200 characters).
 */
public final class LoggingListenerErrorHandler implements ListenerErrorHandler {

	private static final Log logger = LogFactory.getLog(LoggingListenerErrorHandler.class);

	@Override
	public void handle(ListenerFailure failure) {
		String where = "Listener " + failure.listener() + " on channel '" + failure.channel() + "'"
				+ ((failure.pattern() != null) ? " (pattern '" + failure.pattern() + "')" : "");
		if (failure.reason() == ListenerFailure.Reason.PAYLOAD) {
			String text = new String(failure.payload(), 0, Math.min(200, failure.payload().length),
					java.nio.charset.StandardCharsets.UTF_8);
			logger.error(where + " could not read a payload: " + failure.error().getMessage() + "; payload: " + text);
		}
		else {
			logger.error(where + " failed", failure.error());
		}
	}

}
