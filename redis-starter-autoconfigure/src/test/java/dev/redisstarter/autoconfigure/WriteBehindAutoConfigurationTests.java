package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.WriteBehind;
import dev.redisstarter.cache.WriteBehindWriter;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Write-behind caches from properties: the writer bean, the drain when the context closes, and the checks at start-up. */
@RealRedis
class WriteBehindAutoConfigurationTests {

	/** A writer of products, remembering what it persisted. */
	static final class ProductWriter implements WriteBehindWriter<String> {

		final Map<String, String> rows = new ConcurrentHashMap<>();

		@Override
		public void write(String cache, Map<String, String> upserts, Set<String> deletes) {
			this.rows.putAll(upserts);
			deletes.forEach(this.rows::remove);
		}

	}

	/** Stands for the web server's graceful shutdown: requests still running write to the cache while it stops. */
	static final class InFlightRequests implements SmartLifecycle {

		volatile CacheService cache;

		private volatile boolean running;

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.cache.set("products:3", "late", Duration.ofMinutes(5));
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			// Spring Boot's WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE
			return SmartLifecycle.DEFAULT_PHASE - 1024;
		}

	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterCacheAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=wbauto-" + UUID.randomUUID() + ":",
				"redis.starter.cache.caches.products.write-behind.enabled=true",
				"redis.starter.cache.caches.products.write-behind.partitions=2");

	@Test
	void writesOfAWriteBehindCacheArePersistedByItsWriterAndDrainedWhenTheContextCloses() {
		ProductWriter writer = new ProductWriter();
		this.runner.withBean("productWriter", ProductWriter.class, () -> writer)
			// Batches would wait a minute: only the drain at close persists them.
			.withPropertyValues("redis.starter.cache.caches.products.write-behind.max-delay=1m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				CacheService cache = context.getBean(CacheService.class);
				cache.set("products:1", "lamp", Duration.ofMinutes(5));
				cache.set("products:2", "desk", Duration.ofMinutes(5));
				assertThat(cache.get("products:1", String.class)).contains("lamp");
				assertThat(context.getBean(WriteBehind.class).isRunning()).isTrue();
				assertThat(writer.rows).isEmpty();
			});
		assertThat(writer.rows).containsExactlyInAnyOrderEntriesOf(Map.of("products:1", "lamp", "products:2", "desk"));
	}

	@Test
	void aCacheWithoutItsWriterStopsStartUpNamingTheProperty() {
		this.runner.withBean("one", ProductWriter.class, ProductWriter::new)
			.withBean("two", ProductWriter.class, ProductWriter::new)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.cache.caches.products.write-behind.writer"));
	}

	@Test
	void theWriterIsChosenByName() {
		ProductWriter chosen = new ProductWriter();
		this.runner.withBean("one", ProductWriter.class, ProductWriter::new)
			.withBean("chosen", ProductWriter.class, () -> chosen)
			.withPropertyValues("redis.starter.cache.caches.products.write-behind.writer=chosen",
					"redis.starter.cache.caches.products.write-behind.max-delay=10ms")
			.run((context) -> {
				context.getBean(CacheService.class).set("products:7", "chair", Duration.ofMinutes(5));
				long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				while (chosen.rows.isEmpty() && System.nanoTime() < deadline) {
					Thread.sleep(20);
				}
				assertThat(chosen.rows).containsEntry("products:7", "chair");
			});
	}

	@Test
	void anInstanceThatOnlyWritesNeedsNoWriter() {
		this.runner.withPropertyValues("redis.starter.cache.caches.products.write-behind.persist=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(CacheService.class).set("products:8", "shelf", Duration.ofMinutes(5));
				assertThat(context.getBean(WriteBehind.class).backlog("products")).isEqualTo(1);
			});
	}

	@Test
	void anInvalidWriteBehindPropertyStopsStartUpNamingIt() {
		this.runner.withBean("productWriter", ProductWriter.class, ProductWriter::new)
			.withPropertyValues("redis.starter.cache.caches.products.write-behind.batch-size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("write-behind.batch-size"));
	}

	@Test
	void writesOfRequestsFinishingDuringTheWebServersGracefulShutdownAreDrainedToo() {
		ProductWriter writer = new ProductWriter();
		InFlightRequests requests = new InFlightRequests();
		this.runner.withBean("productWriter", ProductWriter.class, () -> writer)
			.withBean(InFlightRequests.class, () -> requests)
			.withPropertyValues("redis.starter.cache.caches.products.write-behind.max-delay=1m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				requests.cache = context.getBean(CacheService.class);
			});
		assertThat(writer.rows).containsEntry("products:3", "late");
	}

}
