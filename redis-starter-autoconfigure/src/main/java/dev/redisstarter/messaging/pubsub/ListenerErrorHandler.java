package dev.redisstarter.messaging.pubsub;

/**
 * Sees every message a {@code @RedisListener} (or {@code @KeyEventListener}) method could not handle. The
 * default logs it; declare a bean of this type to replace it (to alert, park the payload, ...). Called on
 * the listener's thread; the next message is delivered whatever it does. Failures are counted in
 * {@code redis.starter.messaging.failed} either way.
 */
@FunctionalInterface
public interface ListenerErrorHandler {

	/**
	 * Handles a failure.
	 * @param failure what failed and why
	 */
	void handle(ListenerFailure failure);

}
