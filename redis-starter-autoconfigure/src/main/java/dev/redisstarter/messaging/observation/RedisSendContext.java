package dev.redisstarter.messaging.observation;

import java.util.Map;
import java.util.Objects;

import io.micrometer.observation.transport.SenderContext;

/**
 * What a publish or an enqueue observation knows: which kind it is and where it sends. The carrier is the message's
 * headers (or the job's trace fields), where a tracer writes the trace context for the receiving side.
 */
public final class RedisSendContext extends SenderContext<Map<String, String>> {

	private final MessagingObservation kind;

	private final String destination;

	/**
	 * A context.
	 * @param kind {@link MessagingObservation#PUBLISH} or {@link MessagingObservation#ENQUEUE}
	 * @param destination the channel or queue
	 * @param carrier the headers that travel with the message
	 */
	public RedisSendContext(MessagingObservation kind, String destination, Map<String, String> carrier) {
		super((headers, key, value) -> Objects.requireNonNull(headers).put(key, value));
		this.kind = Objects.requireNonNull(kind, "kind must not be null");
		this.destination = Objects.requireNonNull(destination, "destination must not be null");
		setCarrier(carrier);
		setRemoteServiceName("redis");
	}

	/** @return which observation this is */
	public MessagingObservation kind() {
		return this.kind;
	}

	/** @return the channel or queue */
	public String destination() {
		return this.destination;
	}

}
