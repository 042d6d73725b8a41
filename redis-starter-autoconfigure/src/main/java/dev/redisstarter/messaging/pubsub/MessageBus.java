package dev.redisstarter.messaging.pubsub;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;

/**
 * Publishes on Redis pub/sub and asks for replies. Payloads are written as JSON with the application's
 * {@code JsonMapper} ({@code String} and {@code byte[]} as they are), on channels that carry the starter's
 * channel prefix unless configured otherwise, so two applications sharing a Redis do not hear each other by
 * accident. Pub/sub is at-most-once: a message published while no listener is subscribed (or while a
 * listener is reconnecting) is lost.
 */
public interface MessageBus {

	/**
	 * Publishes a message.
	 * @param channel the channel, without the prefix
	 * @param payload what to send
	 * @return how many subscribers received it (on a Cluster, counted on the node that took the publish; for
	 * a shard channel, on the shard)
	 * @throws MessagingUnavailableException when Redis cannot be reached within the messaging timeout
	 */
	long publish(String channel, Object payload);

	/**
	 * Sends a request to the listeners of a channel and waits for the first reply. A
	 * {@code @RedisListener} method answers by returning a value.
	 * @param <R> the reply type
	 * @param channel the channel, without the prefix
	 * @param payload the request
	 * @param replyType what to read the reply as
	 * @param timeout how long to wait for a reply
	 * @return the first reply ({@code null} when the listener returned {@code null})
	 * @throws MessageRequestTimeoutException when no reply came within the timeout
	 * @throws MessageRequestFailedException when the listener that answered failed
	 * @throws MessagingUnavailableException when Redis cannot be reached
	 */
	<R> @Nullable R request(String channel, Object payload, Class<R> replyType, Duration timeout);

	/**
	 * Sends a request and reads the first reply as a generic type, such as {@code List<Quote>}:
	 * {@code bus.request("quotes", skus, new ParameterizedTypeReference<List<Quote>>() {}, timeout)}.
	 * @param <R> the reply type
	 * @param channel the channel, without the prefix
	 * @param payload the request
	 * @param replyType what to read the reply as
	 * @param timeout how long to wait for a reply
	 * @return the first reply
	 * @throws MessageRequestTimeoutException when no reply came within the timeout
	 * @throws MessageRequestFailedException when the listener that answered failed
	 */
	<R> @Nullable R request(String channel, Object payload, ParameterizedTypeReference<R> replyType, Duration timeout);

	/**
	 * {@link #request(String, Object, ParameterizedTypeReference, Duration)} without waiting.
	 * @param <R> the reply type
	 * @param channel the channel, without the prefix
	 * @param payload the request
	 * @param replyType what to read the reply as
	 * @param timeout how long to wait for a reply
	 * @return completes with the first reply
	 */
	<R> CompletableFuture<R> requestAsync(String channel, Object payload, ParameterizedTypeReference<R> replyType,
			Duration timeout);

	/**
	 * {@link #request(String, Object, Class, Duration)} with the configured
	 * {@code redis.starter.messaging.request-timeout}.
	 * @param <R> the reply type
	 * @param channel the channel, without the prefix
	 * @param payload the request
	 * @param replyType what to read the reply as
	 * @return the first reply
	 */
	<R> @Nullable R request(String channel, Object payload, Class<R> replyType);

	/**
	 * Sends a request without waiting.
	 * @param <R> the reply type
	 * @param channel the channel, without the prefix
	 * @param payload the request
	 * @param replyType what to read the reply as
	 * @param timeout how long to wait for a reply
	 * @return completes with the first reply, or exceptionally as {@link #request} throws
	 */
	<R> CompletableFuture<R> requestAsync(String channel, Object payload, Class<R> replyType, Duration timeout);

}
