package dev.redisstarter.cache;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.redisstarter.autoconfigure.ActuatorOperations;
import dev.redisstarter.cache.actuate.WriteBehindEndpoint;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Replaying write-behind dead letters through {@code /actuator/writebehind}: a replay racing a newer write of its key
 * (the later write wins), a replay of every dead letter bounded by those there when it starts, whole stream ids only,
 * and a frozen Redis.
 */
@RealRedis
class WriteBehindReplayTests {

	private static final Duration WITHIN = Duration.ofSeconds(15);

	/** Takes numbers: a text value cannot be read, and is dead-lettered at once, every time it is replayed. */
	static final class NumberWriter implements WriteBehindWriter<Integer> {

		@Override
		public void write(String cache, Map<String, Integer> upserts, Set<String> deletes) {
		}

	}

	@Test
	void aDeadLetterReplayedJustAfterANewerWriteOfItsKeyLetsTheNewerWriteBePersisted() {
		WriteBehindEndpointTests.RefusingWriter writer = new WriteBehindEndpointTests.RefusingWriter();
		writer.refused.add("products:k");
		// A long max-delay: the newer write and the replay are read into the same batch.
		runner(SharedRedis.get(Topology.STANDALONE).propertyValues(), "1500ms")
			.withBean("productWriter", WriteBehindEndpointTests.RefusingWriter.class, () -> writer)
			.run((context) -> {
				WriteBehind writeBehind = context.getBean(WriteBehind.class);
				CacheService cache = context.getBean(CacheService.class);
				cache.set("products:k", "v1", Duration.ofMinutes(5));
				await().atMost(WITHIN).until(() -> writeBehind.deadLetterCount("products") == 1);
				WriteBehindDeadLetter letter = writeBehind.deadLetters("products", 1).get(0);
				writer.refused.clear();

				cache.set("products:k", "v2", Duration.ofMinutes(5));
				Object replayed = ActuatorOperations.of(context, "writebehind").get("POST writebehind/{cache}/{partition}/{id}")
					.invoke(ActuatorOperations.invocation(Map.of("cache", "products", "partition", String.valueOf(letter.partition()), "id",
							letter.id())));
				assertThat(replayed).isEqualTo(new WriteBehindEndpoint.Replayed(1));

				await().atMost(WITHIN).until(() -> writeBehind.backlog("products") == 0);
				assertThat(writer.rows).as("the later write wins, and is persisted").containsEntry("products:k", "v2");
				assertThat(cache.get("products:k", String.class)).contains("v2");
			});
	}

	@Test
	void replayingEveryDeadLetterReplaysThoseThereWhenItStartsOnceEvenWhenTheyAreDeadLetteredAgainAtOnce() {
		runner(SharedRedis.get(Topology.STANDALONE).propertyValues(), "10ms")
			.withBean("productWriter", NumberWriter.class, NumberWriter::new)
			.run((context) -> {
				WriteBehind writeBehind = context.getBean(WriteBehind.class);
				CacheService cache = context.getBean(CacheService.class);
				for (int i = 0; i < 250; i++) {
					cache.set("products:" + i, "not a number", Duration.ofMinutes(5));
				}
				await().atMost(WITHIN).until(() -> writeBehind.deadLetterCount("products") == 250);
				WebOperation replayAll = ActuatorOperations.of(context, "writebehind").get("POST writebehind/{cache}");
				Object replayed = assertTimeoutPreemptively(Duration.ofSeconds(30),
						() -> replayAll.invoke(ActuatorOperations.invocation(Map.of("cache", "products"))),
						"replayAll goes on while the letters it replays come back");
				assertThat(replayed).isEqualTo(new WriteBehindEndpoint.Replayed(250));
			});
	}

	@Test
	void anIdWithoutItsSequenceOrOutOfRangeIsABadRequestNotARangeNorARedisError() {
		WriteBehindEndpointTests.RefusingWriter writer = new WriteBehindEndpointTests.RefusingWriter();
		runner(SharedRedis.get(Topology.STANDALONE).propertyValues(), "10ms")
			.withBean("productWriter", WriteBehindEndpointTests.RefusingWriter.class, () -> writer)
			.run((context) -> {
				WebOperation replayOne = ActuatorOperations.of(context, "writebehind").get("POST writebehind/{cache}/{partition}/{id}");
				for (String id : new String[] { "1765090000000", "99999999999999999999-0", "1-99999999999999999999",
						"-1-0", "" }) {
					assertThatExceptionOfType(InvalidEndpointRequestException.class).as(id)
						.isThrownBy(() -> replayOne
							.invoke(ActuatorOperations.invocation(Map.of("cache", "products", "partition", "0", "id", id))));
				}
				assertThat(replayOne.invoke(ActuatorOperations.invocation(Map.of("cache", "products", "partition", "0", "id",
						"18446744073709551615-18446744073709551615"))))
					.as("the largest id is an id").isEqualTo(new WriteBehindEndpoint.Replayed(0));
			});
	}

	@Test
	void whileRedisIsFrozenTheListingAnswersWithinOneDeadline() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			WriteBehindEndpointTests.RefusingWriter writer = new WriteBehindEndpointTests.RefusingWriter();
			runner(server.propertyValues(), "10ms").withBean("productWriter", WriteBehindEndpointTests.RefusingWriter.class, () -> writer)
				.run((context) -> {
					WebOperation read = ActuatorOperations.of(context, "writebehind").get("GET writebehind");
					read.invoke(ActuatorOperations.invocation(Map.of()));
					server.freeze();
					try {
						long start = System.nanoTime();
						WriteBehindEndpoint.Caches frozen = (WriteBehindEndpoint.Caches) read.invoke(ActuatorOperations.invocation(Map.of()));
						long tookMillis = (System.nanoTime() - start) / 1_000_000;
						assertThat(tookMillis).as("one deadline (2 s), not one per cache").isLessThan(3_500);
						assertThat(frozen.caches().get("products").error()).isNotBlank();
						assertThat(frozen.caches().get("views").error())
							.isEqualTo("Not read: Redis did not answer for cache 'products'");
					}
					finally {
						server.thaw();
					}
				});
		}
	}

	private static WebApplicationContextRunner runner(String[] redis, String maxDelay) {
		return WriteBehindEndpointTests.runner(redis, 1, maxDelay)
			.withPropertyValues("management.endpoint.writebehind.access=unrestricted");
	}
}
