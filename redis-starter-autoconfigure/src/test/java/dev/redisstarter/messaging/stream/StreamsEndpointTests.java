package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;

import dev.redisstarter.messaging.stream.actuate.StreamsEndpoint;
import dev.redisstarter.messaging.stream.actuate.StreamsHealthIndicator;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@RealRedis
class StreamsEndpointTests {

	static class Failing {

		@StreamListener(stream = "${test.stream}", group = "billing")
		void order(String order) {
			throw new IllegalStateException("always");
		}

	}

	@Test
	void theEndpointListsStreamsGroupsConsumersAndDeadLettersAndReplaysAndPurges() {
		String stream = "endpoint-" + UUID.randomUUID();
		StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.max-deliveries=1",
					"management.endpoints.web.exposure.include=streams")
			.withBean(Failing.class)
			.run((context) -> {
				StreamsEndpoint endpoint = context.getBean(StreamsEndpoint.class);
				StreamsHealthIndicator health = context.getBean(StreamsHealthIndicator.class);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> health.health(true).getStatus().equals(Status.UP));
				context.getBean(StreamPublisher.class).add(stream, "first");
				DeadLetters deadLetters = context.getBean(DeadLetters.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count(stream) == 1);

				Map<String, Object> all = endpoint.streams();
				assertThat(all).containsKeys("listeners", "streams");
				@SuppressWarnings("unchecked")
				Map<String, Object> shown = (Map<String, Object>) ((Map<String, Object>) all.get("streams")).get(stream);
				assertThat(shown).containsEntry("length", 1L).containsEntry("deadLetterCount", 1L);
				@SuppressWarnings("unchecked")
				List<Map<String, Object>> groups = (List<Map<String, Object>>) shown.get("groups");
				assertThat(groups).singleElement().satisfies((group) -> {
					assertThat(group).containsEntry("name", "billing");
					assertThat((List<?>) group.get("consumers")).hasSize(1);
				});
				assertThat((List<?>) shown.get("deadLetters")).hasSize(1);

				String id = deadLetters.list(stream, 1).get(0).id();
				assertThat(endpoint.replay(stream, id)).containsEntry("replayed", 1);
				await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count(stream) == 1);
				assertThat(endpoint.replay(stream, "all")).containsEntry("replayed", 1);
				await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count(stream) == 1);
				assertThat(endpoint.purge(stream)).containsEntry("purged", 1L);
				assertThat(deadLetters.count(stream)).isZero();
			});
	}

}
