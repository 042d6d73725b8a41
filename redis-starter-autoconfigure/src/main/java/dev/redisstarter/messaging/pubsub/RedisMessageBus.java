package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.messaging.observation.MessagingObservations;
import dev.redisstarter.core.subscription.PubSubSubscriber;
import dev.redisstarter.core.subscription.Route;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.cluster.RedisClusterClient;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.dao.DataAccessException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.messaging.pubsub.Envelope.EncodedPayload;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * The {@link MessageBus}: publishes over the starter's own connection within the messaging deadline, and
 * correlates replies that arrive on this instance's reply channel ({@code <prefix>redis-starter:replies:<id>},
 * subscribed on the first request).
 */
public final class RedisMessageBus implements MessageBus, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisMessageBus.class);

	private final RedisCalls calls;

	private final ChannelNames names;

	private final PubSubSubscriber subscriber;

	private final PayloadReader reader;

	private final MessagingMetrics metrics;

	private final MessagingObservations observations;

	private final Duration requestTimeout;

	private final Route replyRoute;

	private final Map<String, PendingRequest> pending = new ConcurrentHashMap<>();

	private volatile @Nullable AutoCloseable replySubscription;

	/**
	 * A bus.
	 * @param calls publishes, with the messaging deadline
	 * @param names turns channel names into Redis channels
	 * @param subscriber receives replies
	 * @param mapper writes and reads payloads
	 * @param metrics counts publishes and requests
	 * @param observations observes each publish (trace context travels in the message)
	 * @param requestTimeout how long {@link #request(String, Object, Class)} waits
	 */
	public RedisMessageBus(RedisCalls calls, ChannelNames names, PubSubSubscriber subscriber, JsonMapper mapper,
			MessagingMetrics metrics, MessagingObservations observations, Duration requestTimeout) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.names = Objects.requireNonNull(names, "names must not be null");
		this.subscriber = Objects.requireNonNull(subscriber, "subscriber must not be null");
		this.reader = new PayloadReader(Objects.requireNonNull(mapper, "mapper must not be null"));
		this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
		this.observations = Objects.requireNonNull(observations, "observations must not be null");
		this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout must not be null");
		this.replyRoute = new Route(Route.Kind.CHANNEL,
				names.prefix() + "redis-starter:replies:" + UUID.randomUUID().toString().replace("-", ""));
	}

	@Override
	public long publish(String channel, Object payload) {
		Route route = this.names.publishRoute(channel);
		return send(route, null, null, EncodedPayload.of(payload, this.reader.mapper()));
	}

	@Override
	public <R> @Nullable R request(String channel, Object payload, Class<R> replyType) {
		return request(channel, payload, replyType, this.requestTimeout);
	}

	@Override
	public <R> @Nullable R request(String channel, Object payload, Class<R> replyType, Duration timeout) {
		return await(channel, timeout, requestAsync(channel, payload, replyType, timeout));
	}

	@Override
	public <R> @Nullable R request(String channel, Object payload, ParameterizedTypeReference<R> replyType,
			Duration timeout) {
		return await(channel, timeout, requestAsync(channel, payload, replyType, timeout));
	}

	private <R> @Nullable R await(String channel, Duration timeout, CompletableFuture<R> reply) {
		try {
			return reply.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new MessageRequestTimeoutException(this.names.resolve(channel), timeout, -1);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	@Override
	public <R> CompletableFuture<R> requestAsync(String channel, Object payload, Class<R> replyType,
			Duration timeout) {
		Objects.requireNonNull(replyType, "replyType must not be null");
		return send(channel, payload, replyType, timeout);
	}

	@Override
	public <R> CompletableFuture<R> requestAsync(String channel, Object payload,
			ParameterizedTypeReference<R> replyType, Duration timeout) {
		Objects.requireNonNull(replyType, "replyType must not be null");
		return send(channel, payload, replyType.getType(), timeout);
	}

	@SuppressWarnings("unchecked")
	private <R> CompletableFuture<R> send(String channel, Object payload, Type replyType, Duration timeout) {
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("A request timeout must be positive, was " + timeout);
		}
		Route route = this.names.publishRoute(channel);
		long deadline = System.nanoTime() + timeout.toNanos();
		awaitReplyChannel(route.name(), deadline);
		String id = UUID.randomUUID().toString();
		CompletableFuture<Envelope> reply = new CompletableFuture<>();
		this.pending.put(id, new PendingRequest(route.name(), reply));
		long receivers;
		try {
			receivers = send(route, id, this.replyRoute.name(), EncodedPayload.of(payload, this.reader.mapper()));
		}
		catch (RuntimeException ex) {
			this.pending.remove(id);
			this.metrics.request("failed");
			throw ex;
		}
		long left = Math.max(1, deadline - System.nanoTime());
		return reply.orTimeout(left, TimeUnit.NANOSECONDS).handle((envelope, failure) -> {
			this.pending.remove(id);
			if (failure instanceof TimeoutException) {
				this.metrics.request("timed-out");
				throw new MessageRequestTimeoutException(route.name(), timeout, receivers);
			}
			if (failure != null) {
				this.metrics.request("failed");
				throw (failure instanceof CompletionException) ? (CompletionException) failure
						: new CompletionException(failure);
			}
			if (envelope.error() != null) {
				this.metrics.request("failed");
				throw new MessageRequestFailedException(route.name(), envelope.error());
			}
			this.metrics.request("replied");
			try {
				return (R) this.reader.read(envelope.payload(), replyType);
			}
			catch (JacksonException ex) {
				throw new MessageReplyUnreadableException(route.name(), replyType.getTypeName(),
						String.valueOf(ex.getOriginalMessage()));
			}
		});
	}

	/**
	 * Sends a listener's reply (or its failure) to the requester.
	 * @param request the request's envelope
	 * @param result what the listener returned
	 * @param failure what it threw, or {@code null}
	 */
	void reply(Envelope request, @Nullable Object result, @Nullable Throwable failure) {
		String replyTo = request.replyTo();
		if (replyTo == null) {
			return;
		}
		String error = (failure != null) ? failure.getClass().getName() + ": " + failure.getMessage() : null;
		EncodedPayload encoded = (failure != null) ? new EncodedPayload(new byte[0], false, false)
				: EncodedPayload.of(result, this.reader.mapper());
		try {
			byte[] body = new Envelope(request.id(), null, error, Map.of(), encoded.bytes()).wrap(this.reader.mapper(),
					encoded);
			this.calls.call((redis) -> redis.publish(utf8(replyTo), body));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send a reply to " + replyTo + ": " + ex.getMessage());
		}
	}

	private long send(Route route, @Nullable String id, @Nullable String replyTo, EncodedPayload encoded) {
		Map<String, String> headers = new LinkedHashMap<>();
		Observation observation = this.observations.publish(route.name(), headers);
		try {
			byte[] body = (id == null && headers.isEmpty()) ? encoded.bytes()
					: new Envelope(id, replyTo, null, headers, encoded.bytes()).wrap(this.reader.mapper(), encoded);
			boolean shard = route.kind() == Route.Kind.SHARD_CHANNEL
					&& this.calls.access().connectionFactory().getNativeClient() instanceof RedisClusterClient;
			Long receivers = this.calls
				.call((redis) -> shard ? redis.spublish(utf8(route.name()), body) : redis.publish(utf8(route.name()), body));
			this.metrics.published(true);
			return (receivers != null) ? receivers : 0;
		}
		catch (DataAccessException ex) {
			this.metrics.published(false);
			if (observation != null) {
				observation.error(ex);
			}
			throw new MessagingUnavailableException(route.name(), (id != null) ? "send a request on" : "publish on", ex);
		}
		finally {
			if (observation != null) {
				observation.stop();
			}
		}
	}

	private void awaitReplyChannel(String channel, long deadline) {
		if (!this.calls.access().circuit().allowsCalls()) {
			// Fail at once while Redis is known to be away, as every capability does, instead of waiting out
			// the request's timeout for a reply channel that cannot be subscribed.
			this.metrics.request("failed");
			throw new MessagingUnavailableException(channel, "send a request on",
					new dev.redisstarter.core.RedisUnavailableException("Redis is unreachable"));
		}
		if (this.replySubscription == null) {
			synchronized (this) {
				if (this.replySubscription == null) {
					// Replies are read on the I/O thread: a listener that is behind must not hold up every request.
					this.replySubscription = this.subscriber.subscribeDirect(this.replyRoute,
							(route, received, body) -> onReply(body));
				}
			}
		}
		while (!this.subscriber.isConfirmed(this.replyRoute) && System.nanoTime() - deadline < 0) {
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private void onReply(byte[] body) {
		if (!Envelope.isWrapped(body)) {
			return;
		}
		try {
			Envelope envelope = Envelope.open(body, this.reader.mapper());
			PendingRequest request = (envelope.id() != null) ? this.pending.remove(envelope.id()) : null;
			if (request != null) {
				request.reply().complete(envelope);
			}
		}
		catch (JacksonException ex) {
			logger.warn("A reply on " + this.replyRoute.name() + " could not be read: " + ex.getOriginalMessage());
		}
	}

	/** Stops listening for replies; requests still waiting time out. */
	@Override
	public void close() throws Exception {
		AutoCloseable subscription = this.replySubscription;
		if (subscription != null) {
			subscription.close();
		}
	}

	/** A request waiting for its reply. */
	private record PendingRequest(String channel, CompletableFuture<Envelope> reply) {
	}

}
