package dev.redisstarter.messaging.observation;

import java.util.Objects;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.messaging.observation.MessagingObservation.MessagingKeys;

/**
 * The starter's naming of handling observations: {@code redis.starter.messaging.receive} for a
 * {@code @RedisListener} ({@code <channel> receive}, tagged by listener; the channel is high-cardinality),
 * {@code redis.starter.stream.handle} for a {@code @StreamListener} ({@code <stream> process}, tagged by stream,
 * group and listener) and {@code redis.starter.queue.handle} for a {@code @JobHandler} ({@code <queue> process},
 * tagged by queue); the entry's or job's id is high-cardinality.
 */
public class DefaultReceiveObservationConvention implements ObservationConvention<RedisReceiveContext> {

	private final MessagingObservation kind;

	/**
	 * The default convention of one kind.
	 * @param kind {@link MessagingObservation#LISTENER}, {@link MessagingObservation#STREAM_HANDLING} or
	 * {@link MessagingObservation#JOB_HANDLING}
	 */
	public DefaultReceiveObservationConvention(MessagingObservation kind) {
		this.kind = Objects.requireNonNull(kind, "kind must not be null");
	}

	@Override
	public String getName() {
		return this.kind.defaultName();
	}

	@Override
	public String getContextualName(RedisReceiveContext context) {
		return context.destination() + ((this.kind == MessagingObservation.LISTENER) ? " receive" : " process");
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(RedisReceiveContext context) {
		KeyValues values = KeyValues.of(MessagingKeys.SYSTEM.withValue("redis"));
		return switch (this.kind) {
			case LISTENER -> values.and(MessagingKeys.LISTENER.withValue(orNone(context.listener())));
			case STREAM_HANDLING -> values.and(MessagingKeys.DESTINATION.withValue(context.destination()),
					MessagingKeys.CONSUMER_GROUP.withValue(orNone(context.group())),
					MessagingKeys.LISTENER.withValue(orNone(context.listener())));
			default -> values.and(MessagingKeys.DESTINATION.withValue(context.destination()));
		};
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(RedisReceiveContext context) {
		if (this.kind == MessagingObservation.LISTENER) {
			return KeyValues.of(MessagingKeys.DESTINATION.withValue(context.destination()));
		}
		String id = context.messageId();
		return (id != null) ? KeyValues.of(MessagingKeys.MESSAGE_ID.withValue(id)) : KeyValues.empty();
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof RedisReceiveContext redis && redis.kind() == this.kind;
	}

	private static String orNone(@Nullable String value) {
		return (value != null) ? value : "none";
	}

}
