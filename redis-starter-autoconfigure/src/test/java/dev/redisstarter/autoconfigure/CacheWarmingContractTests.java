package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.CacheWarmer;
import dev.redisstarter.cache.CacheWarming;
import dev.redisstarter.cache.CacheWarmingException;
import dev.redisstarter.test.RedisDeployment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cache warming at start-up ({@link CacheWarmer} beans), run against each topology by a subclass: readiness waits
 * for it within its budget, entries carry their cache's TTL and tags, concurrency is bounded, and a failing warmer
 * is reported without stopping the application unless configured to.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class CacheWarmingContractTests {

	private final String prefix = "warm-" + UUID.randomUUID() + ":";

	final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterCacheAutoConfiguration.class))
		.withPropertyValues(deployment().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=" + this.prefix, "redis.starter.cache.ttl-jitter=0");

	abstract RedisDeployment deployment();

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ApplicationAvailabilityAutoConfiguration.class, DataRedisAutoConfiguration.class,
			RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class })
	static class WarmedApplication {

	}

	/** Starts a whole Spring Boot application (readiness is published by SpringApplication, not by a context runner). */
	ConfigurableApplicationContext startApplication(CacheWarmer warmer, List<ReadinessState> readiness,
			String... properties) {
		SpringApplication application = new SpringApplication(WarmedApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		Map<String, Object> defaults = new HashMap<>();
		List<String> all = new ArrayList<>(List.of(deployment().propertyValues()));
		all.add("redis.starter.key-prefix=" + this.prefix);
		all.addAll(List.of(properties));
		all.forEach((property) -> defaults.put(property.substring(0, property.indexOf('=')),
				property.substring(property.indexOf('=') + 1)));
		application.setDefaultProperties(defaults);
		application.addInitializers((context) -> context.getBeanFactory().registerSingleton("warmer", warmer));
		application.addListeners((event) -> {
			if (event instanceof AvailabilityChangeEvent<?> change && change.getState() instanceof ReadinessState state) {
				readiness.add(state);
			}
		});
		return application.run();
	}

	@Test
	void readinessStaysRefusingTrafficUntilTheWarmersEnd() {
		List<ReadinessState> readiness = new CopyOnWriteArrayList<>();
		List<ReadinessState> seenWhileWarming = new CopyOnWriteArrayList<>();
		AtomicLong lastLoadEnded = new AtomicLong();
		CacheWarmer slow = CacheWarmer.ofKeys("slow", () -> List.of("1", "2", "3"), (key) -> {
			seenWhileWarming.addAll(readiness);
			sleep(300);
			lastLoadEnded.set(System.nanoTime());
			return "value " + key;
		});
		long start = System.nanoTime();
		try (ConfigurableApplicationContext context = startApplication(slow, readiness,
				"redis.starter.cache.warming.concurrency=1")) {
			long started = System.nanoTime();
			assertThat(Duration.ofNanos(started - start)).as("start-up waited for the warmer")
				.isGreaterThanOrEqualTo(Duration.ofMillis(900));
			assertThat(seenWhileWarming).as("readiness while warming").doesNotContain(ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(readiness).containsExactly(ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
				.isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(lastLoadEnded.get()).isLessThan(started);
			assertThat(context.getBean(CacheService.class).get("slow:3", String.class)).contains("value 3");
		}
	}

	@Test
	void aWarmerSlowerThanTheBudgetIsAbandonedWithAWarningAndReadinessProceeds(CapturedOutput output) {
		List<ReadinessState> readiness = new CopyOnWriteArrayList<>();
		CacheWarmer tooSlow = CacheWarmer.ofKeys("glacial", () -> List.of("1", "2"), (key) -> {
			sleep(20_000);
			return "never";
		});
		long start = System.nanoTime();
		try (ConfigurableApplicationContext context = startApplication(tooSlow, readiness,
				"redis.starter.cache.warming.timeout=700ms")) {
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(took).isBetween(Duration.ofMillis(700), Duration.ofSeconds(5));
			assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
				.isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(output).contains("WARN").contains("Cache warming stopped after its time budget of 700 ms")
				.contains("'glacial' (0 entries written)");
			CacheWarming.Report report = context.getBean(CacheWarmingLifecycle.class).report();
			assertThat(report).isNotNull();
			assertThat(report.timedOut()).isTrue();
		}
	}

	@Test
	void warmedEntriesAreReadableWithTheirCachesTtlAndTags() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		CacheWarmer products = CacheWarmer.ofKeys("products", () -> List.of("1", "2", "3"), (key) -> "product " + key,
				(value) -> List.of("product:" + value.substring(8), "catalogue"));
		this.runner.withPropertyValues("redis.starter.cache.caches.products.ttl=2h")
			.withBean(CacheWarmer.class, () -> products)
			.withBean(MeterRegistry.class, () -> meters)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				CacheService cache = context.getBean(CacheService.class);
				assertThat(cache.get("products:1", String.class)).contains("product 1");
				assertThat(cache.get("products:3", String.class)).contains("product 3");
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				assertThat(redis.getExpire(this.prefix + "cache:products:2", TimeUnit.MINUTES)).isBetween(115L, 120L);
				assertThat(meters.get("redis.starter.cache.warmed").tags("cache", "products", "outcome", "written")
					.counter()
					.count()).isEqualTo(3.0);
				cache.invalidateTags("product:2");
				assertThat(cache.get("products:2", String.class)).as("invalidated by its tag").isEmpty();
				assertThat(cache.get("products:1", String.class)).contains("product 1");
				cache.invalidateTags("catalogue");
				assertThat(cache.get("products:1", String.class)).isEmpty();
			});
	}

	@Test
	void entriesComputedAllAtOnceAreWritten() {
		CacheWarmer prices = CacheWarmer.ofEntries("prices", () -> Map.of("a", 1, "b", 2));
		this.runner.withBean(CacheWarmer.class, () -> prices).run((context) -> {
			CacheService cache = context.getBean(CacheService.class);
			assertThat(cache.getAll(List.of("prices:a", "prices:b"), Integer.class)).containsEntry("prices:a", 1)
				.containsEntry("prices:b", 2);
		});
	}

	@Test
	void atMostTheConfiguredNumberOfLoadsRunAtOnceAcrossWarmers() {
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		java.util.function.Function<String, String> load = (key) -> {
			most.accumulateAndGet(running.incrementAndGet(), Math::max);
			sleep(40);
			running.decrementAndGet();
			return key;
		};
		List<String> keys = IntStream.range(0, 12).mapToObj(String::valueOf).toList();
		this.runner.withPropertyValues("redis.starter.cache.warming.concurrency=3")
			.withBean("first", CacheWarmer.class, () -> CacheWarmer.ofKeys("first", () -> keys, load))
			.withBean("second", CacheWarmer.class, () -> CacheWarmer.ofKeys("second", () -> keys, load))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(most.get()).as("most loads at once").isEqualTo(3);
				CacheWarming.Report report = context.getBean(CacheWarmingLifecycle.class).report();
				assertThat(report).isNotNull();
				assertThat(report.written()).isEqualTo(24);
			});
	}

	@Test
	void aFailingWarmerIsLoggedAndCountedAndTheApplicationStarts(CapturedOutput output) {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.runner.withBean("broken", CacheWarmer.class, CacheWarmingContractTests::broken)
			.withBean("fine", CacheWarmer.class, () -> CacheWarmer.ofEntries("fine", () -> Map.of("1", "one")))
			.withBean("halfBroken", CacheWarmer.class, () -> CacheWarmer.ofKeys("half", () -> List.of("1", "2"),
					(key) -> {
						if (key.equals("2")) {
							throw new IllegalStateException("no row 2");
						}
						return "one";
					}))
			.withBean(MeterRegistry.class, () -> meters)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				CacheService cache = context.getBean(CacheService.class);
				assertThat(cache.get("fine:1", String.class)).contains("one");
				assertThat(cache.get("half:1", String.class)).contains("one");
				assertThat(output).contains("Warming cache 'broken' failed")
					.contains("IllegalStateException: the catalogue is down")
					.contains("Warming cache 'half' failed: 1 entries written, 1 failed");
				assertThat(meters.get("redis.starter.cache.warmed").tags("cache", "broken", "outcome", "failed")
					.counter()
					.count()).isEqualTo(1.0);
				CacheWarming.Report report = context.getBean(CacheWarmingLifecycle.class).report();
				assertThat(report).isNotNull();
				assertThat(report.failed()).isTrue();
				assertThat(report.results()).filteredOn((result) -> result.cache().equals("fine"))
					.singleElement()
					.extracting(CacheWarming.Result::outcome)
					.isEqualTo(CacheWarming.Outcome.COMPLETED);
			});
	}

	@Test
	void failOnErrorStopsStartUpNamingTheWarmerAndTheProperty() {
		this.runner.withPropertyValues("redis.starter.cache.warming.fail-on-error=true")
			.withBean("broken", CacheWarmer.class, CacheWarmingContractTests::broken)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(CacheWarmingException.class)
				.hasMessageContaining("cache 'broken'")
				.hasMessageContaining("the catalogue is down")
				.hasMessageContaining("redis.starter.cache.warming.fail-on-error"));
		this.runner.withPropertyValues("redis.starter.cache.warming.fail-on-error=true")
			.withBean("broken", CacheWarmer.class, CacheWarmingContractTests::broken)
			.run((context) -> {
				org.springframework.boot.diagnostics.FailureAnalysis analysis = new CacheWarmingFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("cache 'broken'");
				assertThat(analysis.getAction()).contains("redis.starter.cache.warming.fail-on-error=false");
			});
	}

	@Test
	void withoutBlockingReadinessStartUpDoesNotWaitAndWarmingEndsInTheBackground() {
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		CacheWarmer held = CacheWarmer.ofKeys("later", () -> List.of("1"), (key) -> {
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return "late";
		});
		this.runner.withPropertyValues("redis.starter.cache.warming.block-readiness=false")
			.withBean(CacheWarmer.class, () -> held)
			.run((context) -> {
				assertThat(context).as("started while the warmer is held").hasNotFailed();
				CacheService cache = context.getBean(CacheService.class);
				assertThat(cache.get("later:1", String.class)).isEmpty();
				assertThat(context.getBean(CacheWarmingLifecycle.class).report()).isNull();
				release.countDown();
				org.awaitility.Awaitility.await()
					.atMost(Duration.ofSeconds(5))
					.until(() -> cache.get("later:1", String.class).isPresent());
			});
	}

	@Test
	void noWarmerNoWarming() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(CacheWarmingLifecycle.class));
		this.runner.withPropertyValues("redis.starter.cache.warming.enabled=false")
			.withBean(CacheWarmer.class, CacheWarmingContractTests::broken)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CacheWarmingLifecycle.class));
	}

	static CacheWarmer broken() {
		return CacheWarmer.ofKeys("broken", () -> {
			throw new IllegalStateException("the catalogue is down");
		}, (key) -> key);
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
