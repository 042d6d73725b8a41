package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream's dead-lettered entry is acknowledged but stays in the stream, its history: {@code dead-letter.lua} deletes
 * the source entry only for write-behind (its flag '1'); a stream consumer passes '0'. Nothing else pinned that.
 */
@RealRedis
class DeadLetteredEntryStaysInItsStreamTests {

	@Test
	void aDeadLetteredStreamEntryIsAcknowledgedButStaysInTheStream() {
		String stream = "orders-" + UUID.randomUUID();
		DeadLetterReplayTests.AlwaysFailing listener = new DeadLetterReplayTests.AlwaysFailing();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		int letters = 3;
		StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.max-deliveries=1",
					"redis.starter.stream.defaults.circuit.failure-threshold=0")
			.withBean(DeadLetterReplayTests.AlwaysFailing.class, () -> listener)
			.withBean(MeterRegistry.class, () -> meters)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				List<String> ids = new ArrayList<>();
				for (int i = 0; i < letters; i++) {
					ids.add(publisher.add(stream, new DeadLetterReplayTests.Order("item-" + i)).getValue());
				}
				await().atMost(Duration.ofSeconds(10))
					.until(() -> meters.counter("redis.starter.stream.dead-lettered", "stream", stream, "group", "billing")
						.count() == letters);
				assertThat(context.getBean(DeadLetters.class).count(stream)).as("dead letters").isEqualTo(letters);
				assertThat(StreamState.pendingIds(context, stream, "billing")).as("pending after dead-lettering").isEmpty();
				assertThat(StreamState.ids(context, stream)).as("the stream's entries (its history)")
					.containsExactlyElementsOf(ids);
			});
	}

}
