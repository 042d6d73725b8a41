package dev.redisstarter.cache;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.convert.support.ConfigurableConversionService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.autoconfigure.ActuatorOperations;
import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterCacheAutoConfiguration;
import dev.redisstarter.cache.actuate.WriteBehindEndpoint;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/writebehind}: each write-behind cache's backlog and dead letters, with the documented JSON;
 * read-only by default, replay and purge only with {@code management.endpoint.writebehind.access=unrestricted}; an
 * answer within the deadline while Redis is away.
 */
@RealRedis
class WriteBehindEndpointTests {

	private static final Duration WITHIN = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** A system of record that refuses the keys it is told to. */
	static final class RefusingWriter implements WriteBehindWriter<String> {

		final Map<String, String> rows = new ConcurrentHashMap<>();

		final Set<String> refused = ConcurrentHashMap.newKeySet();

		@Override
		public void write(String cache, Map<String, String> upserts, Set<String> deletes) {
			for (String key : upserts.keySet()) {
				if (this.refused.contains(key)) {
					throw new IllegalStateException("the database refuses " + key);
				}
			}
			this.rows.putAll(upserts);
			deletes.forEach(this.rows::remove);
		}

	}

	@ParameterizedTest
	@EnumSource(value = Topology.class, names = { "STANDALONE", "CLUSTER" })
	void byDefaultOnlyTheReadsAreThereAndTheyShowTheBacklogAndTheDeadLettersAsDocumented(Topology topology) {
		RefusingWriter writer = new RefusingWriter();
		writer.refused.add("products:bad");
		runner(SharedRedis.get(topology).propertyValues(), writer).run((context) -> {
			Map<String, WebOperation> operations = ActuatorOperations.of(context, "writebehind");
			assertThat(operations).as("replay and purge are not there: 404 / 405 over HTTP")
				.containsOnlyKeys("GET writebehind", "GET writebehind/{cache}");
			CacheService cache = context.getBean(CacheService.class);
			cache.set("products:bad", "lamp", Duration.ofMinutes(5));
			cache.set("products:good", "desk", Duration.ofMinutes(5));
			await().atMost(WITHIN).until(() -> writer.rows.containsKey("products:good")
					&& context.getBean(WriteBehind.class).deadLetterCount("products") == 1);

			WriteBehindEndpoint.Caches all = (WriteBehindEndpoint.Caches) operations.get("GET writebehind")
				.invoke(ActuatorOperations.invocation(Map.of()));
			assertThat(all.caches()).containsOnlyKeys("products", "views");
			WriteBehindEndpoint.CacheDescriptor products = all.caches().get("products");
			assertThat(products.backlog()).isZero();
			assertThat(products.deadLetterCount()).isEqualTo(1);
			assertThat(products.error()).isNull();
			assertThat(products.deadLetters()).singleElement().satisfies((letter) -> {
				assertThat(letter.key()).isEqualTo("products:bad");
				assertThat(letter.operation()).isEqualTo(WriteBehindDeadLetter.Operation.SET);
				assertThat(letter.value()).isEqualTo("\"lamp\"");
				assertThat(letter.error()).isEqualTo(IllegalStateException.class.getName());
				assertThat(letter.message()).contains("the database refuses products:bad");
				assertThat(letter.attempts()).isPositive();
				assertThat(letter.failedAt()).isNotNull();
			});
			assertThat(all.caches().get("views").deadLetterCount()).isZero();

			// The JSON the docs show.
			JsonNode json = JSON.valueToTree(operations.get("GET writebehind/{cache}")
				.invoke(ActuatorOperations.invocation(Map.of("cache", "products"))));
			assertThat(json.propertyNames()).containsExactly("backlog", "deadLetterCount", "deadLetters");
			assertThat(json.get("deadLetters").get(0).propertyNames()).containsExactly("partition", "id", "key",
					"operation", "value", "error", "message", "attempts", "failedAt");
			assertThatExceptionOfType(InvalidEndpointRequestException.class).as("a cache that is not write-behind")
				.isThrownBy(() -> operations.get("GET writebehind/{cache}").invoke(ActuatorOperations.invocation(Map.of("cache", "orders"))))
				.withMessageContaining("'orders' is not write-behind");
		});
	}

	@ParameterizedTest
	@EnumSource(value = Topology.class, names = { "STANDALONE", "CLUSTER" })
	void withAccessUnrestrictedOneDeadLetterOrAllAreReplayedAndPurged(Topology topology) {
		RefusingWriter writer = new RefusingWriter();
		writer.refused.add("products:bad");
		runner(SharedRedis.get(topology).propertyValues(), writer)
			.withPropertyValues("management.endpoint.writebehind.access=unrestricted")
			.run((context) -> {
				Map<String, WebOperation> operations = ActuatorOperations.of(context, "writebehind");
				assertThat(operations).containsOnlyKeys("GET writebehind", "GET writebehind/{cache}",
						"POST writebehind/{cache}", "POST writebehind/{cache}/{partition}/{id}",
						"DELETE writebehind/{cache}");
				WriteBehind writeBehind = context.getBean(WriteBehind.class);
				CacheService cache = context.getBean(CacheService.class);
				cache.set("products:bad", "lamp", Duration.ofMinutes(5));
				await().atMost(WITHIN).until(() -> writeBehind.deadLetterCount("products") == 1);
				WriteBehindDeadLetter letter = writeBehind.deadLetters("products", 1).get(0);

				// One, by its partition and id, once the database takes it.
				writer.refused.clear();
				WebOperation replayOne = operations.get("POST writebehind/{cache}/{partition}/{id}");
				assertThat(replayOne.invoke(ActuatorOperations.invocation(Map.of("cache", "products", "partition",
						String.valueOf(letter.partition()), "id", letter.id()))))
					.isEqualTo(new WriteBehindEndpoint.Replayed(1));
				await().atMost(WITHIN).until(() -> "lamp".equals(writer.rows.get("products:bad")));
				assertThat(writeBehind.deadLetterCount("products")).isZero();
				assertThat(replayOne.invoke(ActuatorOperations.invocation(Map.of("cache", "products", "partition",
						String.valueOf(letter.partition()), "id", letter.id()))))
					.as("replayed already").isEqualTo(new WriteBehindEndpoint.Replayed(0));
				assertThatExceptionOfType(InvalidEndpointRequestException.class).as("not an id")
					.isThrownBy(() -> replayOne.invoke(ActuatorOperations.invocation(Map.of("cache", "products", "partition", "0", "id",
							"x'; FLUSHALL"))));
				assertThatExceptionOfType(InvalidEndpointRequestException.class).as("no such partition")
					.isThrownBy(() -> replayOne.invoke(ActuatorOperations.invocation(Map.of("cache", "products", "partition", "9", "id",
							"0-1"))));

				// All of them.
				writer.refused.add("products:bad");
				cache.set("products:bad", "lamp 2", Duration.ofMinutes(5));
				await().atMost(WITHIN).until(() -> writeBehind.deadLetterCount("products") == 1);
				writer.refused.clear();
				JsonNode replayed = JSON.valueToTree(operations.get("POST writebehind/{cache}")
					.invoke(ActuatorOperations.invocation(Map.of("cache", "products"))));
				assertThat(replayed.toString()).isEqualTo("{\"replayed\":1}");
				await().atMost(WITHIN).until(() -> "lamp 2".equals(writer.rows.get("products:bad")));

				// Purged: those writes are lost.
				writer.refused.add("products:bad");
				cache.set("products:bad", "lamp 3", Duration.ofMinutes(5));
				await().atMost(WITHIN).until(() -> writeBehind.deadLetterCount("products") == 1);
				Object purged = operations.get("DELETE writebehind/{cache}").invoke(ActuatorOperations.invocation(Map.of("cache", "products")));
				assertThat(JSON.valueToTree(purged).toString()).isEqualTo("{\"purged\":1}");
				assertThat(writeBehind.deadLetterCount("products")).isZero();
				assertThat(writer.rows).containsEntry("products:bad", "lamp 2");
			});
	}

	@Test
	void whileRedisIsAwayTheReadAnswersWithinItsDeadlineWithAnErrorPerCacheAndRecovers() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			RefusingWriter writer = new RefusingWriter();
			runner(server.propertyValues(), writer).run((context) -> {
				WebOperation read = ActuatorOperations.of(context, "writebehind").get("GET writebehind");
				WriteBehindEndpoint.Caches before = (WriteBehindEndpoint.Caches) read.invoke(ActuatorOperations.invocation(Map.of()));
				assertThat(before.caches().values()).allSatisfy((shown) -> assertThat(shown.error()).isNull());

				server.stop();
				long start = System.nanoTime();
				WriteBehindEndpoint.Caches away = (WriteBehindEndpoint.Caches) read.invoke(ActuatorOperations.invocation(Map.of()));
				long tookMillis = (System.nanoTime() - start) / 1_000_000;
				assertThat(tookMillis).as("one deadline (2 s) at most, not one per cache").isLessThan(3_500);
				assertThat(away.caches()).containsOnlyKeys("products", "views");
				assertThat(away.caches().get("products").error()).isNotBlank();
				assertThat(away.caches().get("views").error())
					.isEqualTo("Not read: Redis did not answer for cache 'products'");
				assertThat(away.caches().get("views").backlog()).isNull();

				server.start();
				await().atMost(WITHIN).ignoreExceptions().until(() -> ((WriteBehindEndpoint.Caches) read
					.invoke(ActuatorOperations.invocation(Map.of()))).caches().get("products").error() == null);
			});
		}
	}

	@Test
	void aReadRedisRefusesToThisUserIsAnErrorForEachCacheNotAFailedRequest() {
		try (LocalRedisServer server = LocalRedisServer.builder()
			.password("admin")
			.user("app on >app-secret ~elsewhere:* &* +@all")
			.build()
			.start()) {
			runner(server.as("app", "app-secret").propertyValues(), new RefusingWriter()).run((context) -> {
				WriteBehindEndpoint.Caches refused = (WriteBehindEndpoint.Caches) ActuatorOperations
					.of(context, "writebehind")
					.get("GET writebehind")
					.invoke(ActuatorOperations.invocation(Map.of()));
				assertThat(refused.caches()).containsOnlyKeys("products", "views");
				assertThat(refused.caches().values()).as("each cache asked, each refused")
					.allSatisfy((shown) -> assertThat(shown.error()).contains("NOPERM"));
			});
		}
	}

	private static WebApplicationContextRunner runner(String[] redis, RefusingWriter writer) {
		return runner(redis, 2, "10ms").withBean("productWriter", RefusingWriter.class, () -> writer);
	}

	/**
	 * Two write-behind caches: {@code products}, persisted here by a writer bean the caller adds, its writes tried
	 * once before they are dead-lettered, and {@code views}, persisted elsewhere; the endpoint exposed.
	 */
	static WebApplicationContextRunner runner(String[] redis, int partitions, String maxDelay) {
		String prefix = "wbe-" + UUID.randomUUID().toString().substring(0, 8) + ":";
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
					RedisStarterCacheAutoConfiguration.class, EndpointAutoConfiguration.class,
					WebEndpointAutoConfiguration.class))
			.withPropertyValues(redis)
			.withPropertyValues("redis.starter.key-prefix=" + prefix,
					"redis.starter.cache.caches.products.write-behind.enabled=true",
					"redis.starter.cache.caches.products.write-behind.partitions=" + partitions,
					"redis.starter.cache.caches.products.write-behind.max-delay=" + maxDelay,
					"redis.starter.cache.caches.products.write-behind.max-attempts=1",
					"redis.starter.cache.caches.products.write-behind.backoff.initial=10ms",
					"redis.starter.cache.caches.products.write-behind.backoff.max=20ms",
					"redis.starter.cache.caches.products.write-behind.drain-timeout=1s",
					"redis.starter.cache.caches.views.write-behind.enabled=true",
					"redis.starter.cache.caches.views.write-behind.persist=false",
					"management.endpoints.web.exposure.include=writebehind")
			// As in an application: Boot's conversion service reads "unrestricted" as Access.UNRESTRICTED.
			.withInitializer((context) -> context.getEnvironment()
				.setConversionService((ConfigurableConversionService) ApplicationConversionService.getSharedInstance()));
	}

}
