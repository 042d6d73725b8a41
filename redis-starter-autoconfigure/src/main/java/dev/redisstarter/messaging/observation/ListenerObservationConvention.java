package dev.redisstarter.messaging.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a message handled by a @RedisListener method ({@link MessagingObservation#LISTENER}). Declare a bean of this type to
 * replace the default (extend {@link DefaultReceiveObservationConvention} to keep its key values and add yours).
 */
public interface ListenerObservationConvention extends ObservationConvention<RedisReceiveContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof RedisReceiveContext redis && redis.kind() == MessagingObservation.LISTENER;
	}

}
