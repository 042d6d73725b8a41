package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.convert.support.ConfigurableConversionService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.autoconfigure.ActuatorOperations;
import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterStreamsAutoConfiguration;
import dev.redisstarter.messaging.stream.actuate.StreamsEndpoint;
import dev.redisstarter.messaging.stream.actuate.StreamsHealthIndicator;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/streams}: streams, groups, consumers and dead letters as typed records with the documented JSON;
 * read-only by default, replay and purge only with {@code management.endpoint.streams.access=unrestricted}.
 */
@RealRedis
class StreamsEndpointTests {

	private static final Duration WITHIN = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static class Failing {

		@StreamListener(stream = "${test.stream}", group = "billing")
		void order(String order) {
			throw new IllegalStateException("always");
		}

	}

	@Test
	void byDefaultOnlyTheReadOperationsAreThereAndTheyListStreamsGroupsConsumersAndDeadLetters() {
		String stream = stream();
		webRunner(stream).run((context) -> {
			Map<String, WebOperation> operations = ActuatorOperations.of(context, "streams");
			assertThat(operations).as("replay and purge are not there: 404 / 405 over HTTP")
				.containsOnlyKeys("GET streams", "GET streams/{stream}");
			DeadLetters deadLetters = context.getBean(DeadLetters.class);
			awaitOneDeadLetter(context, stream);

			StreamsEndpoint.Streams all = (StreamsEndpoint.Streams) operations.get("GET streams").invoke(ActuatorOperations.invocation(Map.of()));
			assertThat(all.listeners()).singleElement().satisfies((listener) -> {
				assertThat(listener.stream()).isEqualTo(stream);
				assertThat(listener.group()).isEqualTo("billing");
			});
			StreamsEndpoint.StreamDescriptor shown = all.streams().get(stream);
			assertThat(shown.length()).isEqualTo(1);
			assertThat(shown.deadLetterCount()).isEqualTo(1);
			assertThat(shown.groups()).singleElement().satisfies((group) -> {
				assertThat(group.name()).isEqualTo("billing");
				assertThat(group.pending()).isZero();
				assertThat(group.consumers()).hasSize(1);
			});
			assertThat(shown.deadLetters()).singleElement()
				.satisfies((letter) -> assertThat(letter.id()).isEqualTo(deadLetters.list(stream, 1).get(0).id()));

			// The JSON the README documents.
			JsonNode json = JSON.valueToTree(operations.get("GET streams/{stream}")
				.invoke(ActuatorOperations.invocation(Map.of("stream", stream))));
			assertThat(json.propertyNames()).containsExactly("key", "length", "groups", "deadLetterCount",
					"deadLettersTrimmed", "deadLetters");
			assertThat(json.get("groups").get(0).propertyNames()).containsExactly("name", "pending", "lag",
					"lastDeliveredId", "consumers");
			assertThat(json.get("groups").get(0).get("consumers").get(0).propertyNames()).containsExactly("name",
					"pending", "idleMillis");
			assertThat(json.get("deadLetterCount").asLong()).isEqualTo(1);
		});
	}

	@Test
	void withAccessUnrestrictedReplayAndPurgeAreWriteAndDeleteOperations() {
		String stream = stream();
		webRunner(stream).withPropertyValues("management.endpoint.streams.access=unrestricted").run((context) -> {
			Map<String, WebOperation> operations = ActuatorOperations.of(context, "streams");
			assertThat(operations).containsOnlyKeys("GET streams", "GET streams/{stream}",
					"POST streams/{stream}/{deadLetterId}", "DELETE streams/{stream}");
			WebOperation replay = operations.get("POST streams/{stream}/{deadLetterId}");
			DeadLetters deadLetters = context.getBean(DeadLetters.class);
			awaitOneDeadLetter(context, stream);

			String id = deadLetters.list(stream, 1).get(0).id();
			Object one = replay.invoke(ActuatorOperations.invocation(Map.of("stream", stream, "deadLetterId", id)));
			assertThat(one).isInstanceOfSatisfying(StreamsEndpoint.Replayed.class, (replayed) -> {
				assertThat(replayed.replayed()).isEqualTo(1);
				assertThat(replayed.id()).isNotBlank();
			});
			await().atMost(WITHIN).until(() -> deadLetters.count(stream) == 1);
			Object all = replay.invoke(ActuatorOperations.invocation(Map.of("stream", stream, "deadLetterId", StreamsEndpoint.ALL)));
			assertThat(JSON.valueToTree(all).toString()).as("no id when several are replayed")
				.isEqualTo("{\"replayed\":1}");
			await().atMost(WITHIN).until(() -> deadLetters.count(stream) == 1);
			assertThat(replay.invoke(ActuatorOperations.invocation(Map.of("stream", stream, "deadLetterId", "0-1"))))
				.isEqualTo(new StreamsEndpoint.Replayed(0, null));
			Object purged = operations.get("DELETE streams/{stream}").invoke(ActuatorOperations.invocation(Map.of("stream", stream)));
			assertThat(JSON.valueToTree(purged).toString()).isEqualTo("{\"purged\":1}");
			assertThat(deadLetters.count(stream)).isZero();
		});
	}

	private static void awaitOneDeadLetter(ApplicationContext context, String stream) {
		StreamsHealthIndicator health = context.getBean(StreamsHealthIndicator.class);
		await().atMost(WITHIN).until(() -> health.health(true).getStatus().equals(Status.UP));
		context.getBean(StreamPublisher.class).add(stream, "first");
		await().atMost(WITHIN).until(() -> context.getBean(DeadLetters.class).count(stream) == 1);
	}

	private static String stream() {
		return "endpoint-" + UUID.randomUUID();
	}

	private static WebApplicationContextRunner webRunner(String stream) {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
					RedisStarterStreamsAutoConfiguration.class, EndpointAutoConfiguration.class,
					WebEndpointAutoConfiguration.class))
			.withPropertyValues(SharedRedis.standalone().propertyValues())
			.withPropertyValues("redis.starter.stream.defaults.read-block=200ms",
					"redis.starter.stream.defaults.backoff.initial=50ms", "redis.starter.stream.defaults.backoff.max=200ms",
					"redis.starter.stream.shutdown-wait=2s", "redis.starter.stream.defaults.max-deliveries=1",
					"test.stream=" + stream, "management.endpoints.web.exposure.include=streams")
			// As in an application: Boot's conversion service reads "unrestricted" as Access.UNRESTRICTED.
			.withInitializer((context) -> context.getEnvironment()
				.setConversionService((ConfigurableConversionService) ApplicationConversionService.getSharedInstance()))
			.withBean(Failing.class);
	}



}
