package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.UUID;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import dev.redisstarter.messaging.observation.DefaultReceiveObservationConvention;
import dev.redisstarter.messaging.observation.MessagingObservation;
import dev.redisstarter.messaging.observation.RedisReceiveContext;
import dev.redisstarter.messaging.observation.StreamHandlingObservationConvention;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream listener's handling is observed like a job's: one observation per entry, named by the application's
 * convention when it declares one, and then no second timer of the same work.
 */
@RealRedis
class StreamObservationTests {

	record Order(String item) {
	}

	static class Orders {

		@StreamListener(stream = "${test.stream}", group = "billing", id = "orders")
		void on(Order order) {
			if (order.item().equals("broken")) {
				throw new IllegalStateException("cannot bill " + order.item());
			}
		}

	}

	@Test
	void eachEntryIsObservedOnceWithTheApplicationsConventionAndFailuresCarryTheError() {
		String stream = "observed-" + UUID.randomUUID();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.max-deliveries=1")
			.withBean(MeterRegistry.class, () -> meters)
			.withBean(ObservationRegistry.class, () -> observations)
			.withBean(StreamHandlingObservationConvention.class, RegionConvention::new)
			.withBean(Orders.class)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				publisher.add(stream, new Order("toaster"));
				publisher.add(stream, new Order("kettle"));
				publisher.add(stream, new Order("broken"));
				await().atMost(Duration.ofSeconds(10))
					.until(() -> meters.find("redis.starter.stream.handle").timers().stream()
						.mapToLong((timer) -> timer.count()).sum() == 3);
				assertThat(meters.get("redis.starter.stream.handle")
					.tags("region", "eu", "messaging.destination.name", stream, "messaging.consumer.group.name",
							"billing", "listener", "orders", "error", "none")
					.timer()
					.count()).isEqualTo(2);
				assertThat(meters.get("redis.starter.stream.handle").tag("error", "IllegalStateException").timer().count())
					.isEqualTo(1);
				assertThat(meters.find("redis.starter.stream.handling").timers()).as("no second timer of the same work")
					.isEmpty();
			});
	}

	/** The default naming of stream handling, plus a key of the application's. */
	static final class RegionConvention extends DefaultReceiveObservationConvention
			implements StreamHandlingObservationConvention {

		RegionConvention() {
			super(MessagingObservation.STREAM_HANDLING);
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(RedisReceiveContext context) {
			return super.getLowCardinalityKeyValues(context).and("region", "eu");
		}

	}

}
