package dev.redisstarter.core.subscription;

/**
 * Receives the messages of a {@link Route}, and optionally hears when the server confirms the route and when it is
 * lost. Messages come on the subscriber's one delivery thread, in arrival order (hand the work off, and block only
 * to apply back-pressure on purpose: it holds up every route), or on Lettuce's I/O thread for a listener subscribed
 * with {@link PubSubSubscriber#subscribeDirect} (never block there).
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

	/**
	 * The server confirmed the route (again): messages published from now on are delivered. Called on Lettuce's or
	 * the subscriber's threads; must not block.
	 * @param route the route
	 */
	default void subscribed(Route route) {
	}

	/**
	 * The route is no longer confirmed (its connection dropped, went silent, or the server took it away): messages
	 * published until it is subscribed again are not delivered, so anything may have happened meanwhile. Called on
	 * Lettuce's or the subscriber's threads; must not block.
	 * @param route the route
	 */
	default void lost(Route route) {
	}

}
