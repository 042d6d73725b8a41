package dev.redisstarter.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis stopped mid-run: the loader's value is served, one load per key at a time; after a restart caching resumes.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisDownCacheTests {

	@Test
	void getOrLoadServesTheLoaderWhileRedisIsDownAndCachesAgainAfterARestart() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server, Duration.ofMillis(500));
			try {
				CacheService cache = new RedisCacheService(factory, new KeyNaming(""),
						new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)), CacheSettings.DEFAULTS);
				AtomicInteger loads = new AtomicInteger();
				assertThat(cache.getOrLoad("k", String.class, Duration.ofMinutes(1), () -> "v" + loads.incrementAndGet()))
					.isEqualTo("v1");
				server.stop();
				assertThat(cache.getOrLoad("k", String.class, Duration.ofMinutes(1), () -> "v" + loads.incrementAndGet()))
					.isEqualTo("v2");
				assertThat(cache.get("k", String.class)).isEmpty();
				server.start();
				String afterRestart = null;
				long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
				while (System.nanoTime() < deadline) {
					afterRestart = cache.getOrLoad("k", String.class, Duration.ofMinutes(1), () -> "v" + loads.incrementAndGet());
					if (cache.get("k", String.class).isPresent()) {
						break;
					}
				}
				assertThat(cache.get("k", String.class)).as("cached again").contains(afterRestart);
				int before = loads.get();
				cache.getOrLoad("k", String.class, Duration.ofMinutes(1), () -> "v" + loads.incrementAndGet());
				assertThat(loads.get()).isEqualTo(before);
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void whileRedisIsDownReadsAreLoggedAtWarnOnceAnIntervalWithMaskedKeysAndEveryLoadIsTimed(CapturedOutput output) {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server, Duration.ofMillis(500));
			try {
				SimpleMeterRegistry meters = new SimpleMeterRegistry();
				CacheService cache = new RedisCacheService(factory, new KeyNaming(""),
						new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)), CacheSettings.DEFAULTS,
						new CacheMetrics(meters));
				cache.getOrLoad("products:warm", String.class, Duration.ofMinutes(1), () -> "up");
				server.stop();
				for (int i = 0; i < 30; i++) {
					assertThat(cache.getOrLoad("products:customer-" + i + "@example.com", String.class,
							Duration.ofMinutes(1), () -> "loaded")).isEqualTo("loaded");
					assertThat(cache.get("products:customer-" + i + "@example.com", String.class)).isEmpty();
				}
				assertThat(output.toString().split("WARN.*served without the cache", -1))
					.as("one WARN for 60 failed reads").hasSize(2);
				assertThat(output).doesNotContain("customer-1@example.com");
				assertThat(meters.get(CacheMetrics.LOADS).tag("cache", "products").timer().count())
					.as("loader calls, the 30 made while Redis was down included").isEqualTo(31);
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void fiftyConcurrentLoadsOfOneKeyWhileRedisIsDownCallTheLoaderOneAtATime() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server, Duration.ofMillis(500));
			ExecutorService clients = Executors.newFixedThreadPool(50);
			try {
				CacheService cache = new RedisCacheService(factory, new KeyNaming(""),
						new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)), CacheSettings.DEFAULTS);
				cache.getOrLoad("warm", String.class, Duration.ofMinutes(1), () -> "up");
				server.stop();
				AtomicInteger running = new AtomicInteger();
				AtomicInteger mostAtOnce = new AtomicInteger();
				AtomicInteger loads = new AtomicInteger();
				Supplier<String> loader = () -> {
					mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
					try {
						Thread.sleep(50);
						return "product-" + loads.incrementAndGet();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						throw new IllegalStateException(ex);
					}
					finally {
						running.decrementAndGet();
					}
				};
				CountDownLatch start = new CountDownLatch(1);
				List<Future<String>> answers = new ArrayList<>();
				for (int i = 0; i < 50; i++) {
					answers.add(clients.submit(() -> {
						start.await();
						String last = null;
						for (int round = 0; round < 10; round++) {
							last = cache.getOrLoad("product:1", String.class, Duration.ofMinutes(1), loader);
						}
						return last;
					}));
				}
				start.countDown();
				for (Future<String> answer : answers) {
					assertThat(answer.get(60, TimeUnit.SECONDS)).startsWith("product-");
				}
				assertThat(mostAtOnce.get()).as("loader calls running at once").isEqualTo(1);
				assertThat(loads.get()).as("loads for 500 requests").isLessThan(500);
			}
			finally {
				clients.shutdownNow();
				factory.destroy();
			}
		}
	}

}
