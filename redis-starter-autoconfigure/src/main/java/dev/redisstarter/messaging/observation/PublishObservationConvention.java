package dev.redisstarter.messaging.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a message published on a channel ({@link MessagingObservation#PUBLISH}). Declare a bean of this type to
 * replace the default (extend {@link DefaultSendObservationConvention} to keep its key values and add yours).
 */
public interface PublishObservationConvention extends ObservationConvention<RedisSendContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof RedisSendContext redis && redis.kind() == MessagingObservation.PUBLISH;
	}

}
