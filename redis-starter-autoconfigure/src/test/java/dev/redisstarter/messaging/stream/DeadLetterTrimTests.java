package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.redisstarter.messaging.stream.actuate.StreamsEndpoint;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dead-letter stream's length bound never drops a dead letter silently: counted, logged, shown. */
@RealRedis
@ExtendWith(OutputCaptureExtension.class)
class DeadLetterTrimTests {

	@Test
	void deadLettersDroppedByTheLengthBoundAreCountedLoggedOnceAndShownInTheEndpoint(CapturedOutput output) {
		String stream = "orders-" + UUID.randomUUID();
		DeadLetterReplayTests.AlwaysFailing listener = new DeadLetterReplayTests.AlwaysFailing();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		int letters = 300;
		StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.max-deliveries=1",
					"redis.starter.stream.defaults.circuit.failure-threshold=0",
					"redis.starter.stream.defaults.dead-letter-max-length=10",
					"management.endpoints.web.exposure.include=streams")
			.withBean(DeadLetterReplayTests.AlwaysFailing.class, () -> listener)
			.withBean(MeterRegistry.class, () -> meters)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				DeadLetters deadLetters = context.getBean(DeadLetters.class);
				for (int i = 0; i < letters; i++) {
					publisher.add(stream, new DeadLetterReplayTests.Order("item-" + i));
				}
				await().atMost(Duration.ofSeconds(20)).until(() -> listener.calls.size() == letters
						&& meters.counter("redis.starter.stream.dead-lettered", "stream", stream, "group", "billing")
							.count() == letters);
				double trimmed = meters.counter("redis.starter.stream.dead-letters.trimmed", "stream", stream).count();
				assertThat(trimmed).as("approximate trimming drops whole nodes of 100").isGreaterThanOrEqualTo(100);
				assertThat(trimmed + deadLetters.count(stream)).as("every dead letter is kept or counted as dropped")
					.isEqualTo(letters);
				assertThat(output.getAll().split("oldest dead letters were dropped for good", -1))
					.as("logged once per burst").hasSize(2);
				assertThat(output).contains("Stream '" + stream + "': the dead-letter stream reached its length bound");
				assertThat(context.getBean(StreamsEndpoint.class).stream(stream).deadLettersTrimmed()).isEqualTo((long) trimmed);
			});
	}

}
