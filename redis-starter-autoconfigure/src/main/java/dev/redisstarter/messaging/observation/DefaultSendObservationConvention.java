package dev.redisstarter.messaging.observation;

import java.util.Objects;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

import dev.redisstarter.messaging.observation.MessagingObservation.MessagingKeys;

/**
 * The starter's naming of publish and enqueue observations: {@code redis.starter.messaging.publish} (contextual name
 * {@code <channel> send}; the channel is a high-cardinality key, as channels often carry ids) and
 * {@code redis.starter.queue.enqueue} ({@code <queue> enqueue}; the queue is low-cardinality).
 */
public class DefaultSendObservationConvention implements ObservationConvention<RedisSendContext> {

	private final MessagingObservation kind;

	/**
	 * The default convention of one kind.
	 * @param kind {@link MessagingObservation#PUBLISH} or {@link MessagingObservation#ENQUEUE}
	 */
	public DefaultSendObservationConvention(MessagingObservation kind) {
		this.kind = Objects.requireNonNull(kind, "kind must not be null");
	}

	@Override
	public String getName() {
		return this.kind.defaultName();
	}

	@Override
	public String getContextualName(RedisSendContext context) {
		return context.destination() + ((this.kind == MessagingObservation.ENQUEUE) ? " enqueue" : " send");
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(RedisSendContext context) {
		KeyValues values = KeyValues.of(MessagingKeys.SYSTEM.withValue("redis"));
		return (this.kind == MessagingObservation.ENQUEUE)
				? values.and(MessagingKeys.DESTINATION.withValue(context.destination())) : values;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(RedisSendContext context) {
		return (this.kind == MessagingObservation.PUBLISH)
				? KeyValues.of(MessagingKeys.DESTINATION.withValue(context.destination())) : KeyValues.empty();
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof RedisSendContext redis && redis.kind() == this.kind;
	}

}
