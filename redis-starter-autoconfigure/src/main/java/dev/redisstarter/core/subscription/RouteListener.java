package dev.redisstarter.core.subscription;

/**
 * Receives the messages of a {@link Route}. Called on the subscriber's one delivery thread, in arrival order:
 * hand the work off, and block only to apply back-pressure on purpose (it holds up every route).
 */
@FunctionalInterface
public interface RouteListener {

	/**
	 * A message.
	 * @param route the route it came by
	 * @param channel the channel it was published on (for a pattern route, the matching channel)
	 * @param body its payload
	 */
	void message(Route route, String channel, byte[] body);

}
