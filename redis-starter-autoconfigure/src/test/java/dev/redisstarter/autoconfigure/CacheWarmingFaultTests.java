package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.CacheWarmer;
import dev.redisstarter.cache.CacheWarming;
import dev.redisstarter.cache.CacheWarmingException;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Cache warming when warmers misbehave (an {@link Error} rather than an exception, a load that ignores the interrupt
 * at the budget) and how a whole {@link SpringApplication} reports itself while warming (live, not ready).
 */
@RealRedis
class CacheWarmingFaultTests {

	private final String prefix = "warm-fault-" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterCacheAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=" + this.prefix);

	@Test
	void aWarmerWhoseKeysThrowAnErrorIsReportedFailedAtOnceNotAfterTheBudget() {
		CacheWarmer broken = CacheWarmer.ofKeys("catalogue", () -> {
			throw new NoClassDefFoundError("com/example/CatalogueRepository");
		}, (key) -> key);
		long start = System.nanoTime();
		this.runner.withPropertyValues("redis.starter.cache.warming.timeout=20s")
			.withBean(CacheWarmer.class, () -> broken)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the 20 s budget")
					.isLessThan(Duration.ofSeconds(10));
				CacheWarming.Report report = context.getBean(CacheWarmingLifecycle.class).report();
				assertThat(report).isNotNull();
				assertThat(report.results()).singleElement().satisfies((result) -> {
					assertThat(result.outcome()).isEqualTo(CacheWarming.Outcome.FAILED);
					assertThat(result.error()).contains("NoClassDefFoundError");
				});
			});
	}

	@Test
	void aLoadThatThrowsAnErrorFailsItsWarmer() {
		CacheWarmer broken = CacheWarmer.ofKeys("catalogue", () -> List.of("1", "2"), (key) -> {
			if (key.equals("2")) {
				throw new ExceptionInInitializerError("static init of the price table");
			}
			return "one";
		});
		this.runner.withBean(CacheWarmer.class, () -> broken).run((context) -> {
			assertThat(context).hasNotFailed();
			CacheWarming.Report report = context.getBean(CacheWarmingLifecycle.class).report();
			assertThat(report).isNotNull();
			assertThat(report.failed()).as("an Error is a failure, not a completed warmer").isTrue();
			assertThat(report.results()).singleElement().satisfies((result) -> {
				assertThat(result.written()).isEqualTo(1);
				assertThat(result.failed()).isEqualTo(1);
				assertThat(result.error()).contains("ExceptionInInitializerError");
			});
		});
	}

	@Test
	void aLoadThatEndsAfterTheBudgetWritesNothing() throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch returned = new CountDownLatch(1);
		CacheWarmer stubborn = CacheWarmer.ofKeys("slow", () -> List.of("1"), (key) -> {
			// A retry loop that swallows the interrupt at the budget (as many client libraries' waits do).
			while (release.getCount() > 0) {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					// retried
				}
			}
			returned.countDown();
			return "read before the budget ran out";
		});
		this.runner.withPropertyValues("redis.starter.cache.warming.timeout=300ms")
			.withBean(CacheWarmer.class, () -> stubborn)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				CacheWarming.Report report = context.getBean(CacheWarmingLifecycle.class).report();
				assertThat(report).isNotNull();
				assertThat(report.timedOut()).isTrue();
				release.countDown();
				assertThat(returned.await(5, TimeUnit.SECONDS)).isTrue();
				CacheService cache = context.getBean(CacheService.class);
				await().during(Duration.ofMillis(500))
					.atMost(Duration.ofSeconds(2))
					.until(() -> cache.get("slow:1", String.class).isEmpty());
			});
	}

	@Test
	void entriesWarmedForACacheReadThroughTheSpringCacheBridgeAreHits() {
		CacheWarmer books = CacheWarmer.ofEntries("books", () -> Map.of("1", "Dune", "2", List.of("a", "b")));
		this.runner.withPropertyValues("redis.starter.cache.spring-cache.enabled=true")
			.withBean(CacheWarmer.class, () -> books)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Cache cache = context.getBean(CacheManager.class).getCache("books");
				assertThat(cache).isNotNull();
				Cache.ValueWrapper dune = cache.get("1");
				assertThat(dune).as("a hit for @Cacheable").isNotNull();
				assertThat(dune.get()).isEqualTo("Dune");
				assertThat(cache.get("2", List.class)).containsExactly("a", "b");
				assertThat(context.getBean(CacheService.class).get("books:1", String.class)).as("and for the service")
					.contains("Dune");
			});
	}

	@Test
	void withRedisNotAnsweringTheApplicationStartsWithinTheBudget() {
		List<String> keys = java.util.stream.IntStream.range(0, 200).mapToObj(String::valueOf).toList();
		try (FaultProxy proxy = FaultProxy.inFrontOf(SharedRedis.standalone())) {
			proxy.set(Fault.BLACK_HOLE);
			long start = System.nanoTime();
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
						RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class))
				.withPropertyValues("spring.data.redis.url=" + proxy.url(), "redis.starter.key-prefix=" + this.prefix,
						"redis.starter.cache.warming.timeout=2s")
				.withBean(CacheWarmer.class, () -> CacheWarmer.ofKeys("frozen", () -> keys, (key) -> "v" + key))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
					CacheWarming.Report report = context.getBean(CacheWarmingLifecycle.class).report();
					assertThat(report).isNotNull();
					assertThat(report.time()).isLessThanOrEqualTo(Duration.ofMillis(2_500));
				});
		}
	}

	@Test
	void whileWarmingBlocksReadinessTheApplicationIsLive() {
		List<Object> states = new CopyOnWriteArrayList<>();
		List<Object> seenWhileWarming = new CopyOnWriteArrayList<>();
		CacheWarmer slow = CacheWarmer.ofKeys("slow", () -> List.of("1"), (key) -> {
			// Warming starts before the context has refreshed: the load waits (at most 5 s) to see liveness
			// published while start-up is still waiting for it.
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (!states.contains(LivenessState.CORRECT) && System.nanoTime() < deadline) {
				sleep(10);
			}
			seenWhileWarming.addAll(states);
			return "one";
		});
		try (ConfigurableApplicationContext context = startApplication(slow, states)) {
			assertThat(seenWhileWarming).as("published while start-up waited for the warmer")
				.contains(LivenessState.CORRECT)
				.doesNotContain(ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(states).containsExactly(LivenessState.CORRECT, ReadinessState.ACCEPTING_TRAFFIC);
			assertThat(context.getBean(CacheService.class).get("slow:1", String.class)).contains("one");
		}
	}

	@Test
	void failOnErrorStopsAWholeApplicationBeforeItIsReady() {
		List<Object> states = new CopyOnWriteArrayList<>();
		CacheWarmer broken = CacheWarmer.ofKeys("broken", () -> {
			throw new IllegalStateException("the catalogue is down");
		}, (key) -> key);
		Throwable failure = catchThrowable(
				() -> startApplication(broken, states, "redis.starter.cache.warming.fail-on-error=true").close());
		assertThat(NestedExceptionUtils.getMostSpecificCause(failure)).isInstanceOf(CacheWarmingException.class)
			.hasMessageContaining("cache 'broken'");
		assertThat(states).doesNotContain(ReadinessState.ACCEPTING_TRAFFIC);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ApplicationAvailabilityAutoConfiguration.class, DataRedisAutoConfiguration.class,
			RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class })
	static class WarmedApplication {

	}

	private ConfigurableApplicationContext startApplication(CacheWarmer warmer, List<Object> states,
			String... properties) {
		SpringApplication application = new SpringApplication(WarmedApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		List<String> all = new ArrayList<>(List.of(SharedRedis.standalone().propertyValues()));
		all.add("redis.starter.key-prefix=" + this.prefix);
		all.addAll(List.of(properties));
		Map<String, Object> defaults = new HashMap<>();
		all.forEach((property) -> defaults.put(property.substring(0, property.indexOf('=')),
				property.substring(property.indexOf('=') + 1)));
		application.setDefaultProperties(defaults);
		application.addInitializers((context) -> context.getBeanFactory().registerSingleton("warmer", warmer));
		application.addListeners((event) -> {
			if (event instanceof AvailabilityChangeEvent<?> change) {
				states.add(change.getState());
			}
		});
		return application.run();
	}

}
