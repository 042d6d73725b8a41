package dev.redisstarter.docs.observability;

import io.micrometer.common.KeyValues;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.redisstarter.messaging.observation.DefaultReceiveObservationConvention;
import dev.redisstarter.messaging.observation.JobHandlingObservationConvention;
import dev.redisstarter.messaging.observation.MessagingObservation;
import dev.redisstarter.messaging.observation.RedisReceiveContext;

// tag::job-convention[]
@Configuration
class ObservationConfiguration {

    /** Job handling keeps the starter's name and tags, plus the application's own. */
    @Bean
    JobHandlingObservationConvention tenantJobConvention() {
        return new TenantJobConvention();
    }

    static class TenantJobConvention extends DefaultReceiveObservationConvention
            implements JobHandlingObservationConvention {

        TenantJobConvention() {
            super(MessagingObservation.JOB_HANDLING);
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(RedisReceiveContext context) {
            return super.getLowCardinalityKeyValues(context).and("team", "billing");
        }

    }

}
// end::job-convention[]
