package dev.redisstarter.messaging.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a job attempt handled by a @JobHandler method ({@link MessagingObservation#JOB_HANDLING}). Declare a bean of this type to
 * replace the default (extend {@link DefaultReceiveObservationConvention} to keep its key values and add yours).
 */
public interface JobHandlingObservationConvention extends ObservationConvention<RedisReceiveContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof RedisReceiveContext redis && redis.kind() == MessagingObservation.JOB_HANDLING;
	}

}
