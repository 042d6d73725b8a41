package dev.redisstarter.messaging.observation;

import java.util.Map;
import java.util.Objects;

import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * What a listener's, a stream listener's or a job handler's observation knows. The carrier is the headers the
 * sender's observation wrote (empty when there were none), from which a tracer continues the sender's trace.
 */
public final class RedisReceiveContext extends ReceiverContext<Map<String, String>> {

	private final MessagingObservation kind;

	private final String destination;

	private final @Nullable String listener;

	private final @Nullable String group;

	private final @Nullable String messageId;

	/**
	 * A context.
	 * @param kind {@link MessagingObservation#LISTENER}, {@link MessagingObservation#STREAM_HANDLING} or
	 * {@link MessagingObservation#JOB_HANDLING}
	 * @param destination the channel, stream or queue
	 * @param listener the listener's name, or {@code null} (jobs)
	 * @param group the stream's consumer group, or {@code null}
	 * @param messageId the entry's or job's id, or {@code null} (pub/sub)
	 * @param carrier the headers that came with the message
	 */
	public RedisReceiveContext(MessagingObservation kind, String destination, @Nullable String listener,
			@Nullable String group, @Nullable String messageId, Map<String, String> carrier) {
		super((headers, key) -> (headers != null) ? headers.get(key) : null);
		this.kind = Objects.requireNonNull(kind, "kind must not be null");
		this.destination = Objects.requireNonNull(destination, "destination must not be null");
		this.listener = listener;
		this.group = group;
		this.messageId = messageId;
		setCarrier(carrier);
		setRemoteServiceName("redis");
	}

	/** @return which observation this is */
	public MessagingObservation kind() {
		return this.kind;
	}

	/** @return the channel, stream or queue */
	public String destination() {
		return this.destination;
	}

	/** @return the listener's name, or {@code null} */
	public @Nullable String listener() {
		return this.listener;
	}

	/** @return the stream's consumer group, or {@code null} */
	public @Nullable String group() {
		return this.group;
	}

	/** @return the entry's or job's id, or {@code null} */
	public @Nullable String messageId() {
		return this.messageId;
	}

}
