package dev.redisstarter.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.annotation.RedisListener;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.CacheWarmer;
import dev.redisstarter.core.StarterMeter;
import dev.redisstarter.core.subscription.PubSubSubscriber;
import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.messaging.pubsub.MessageBus;
import dev.redisstarter.messaging.pubsub.MessageRequestTimeoutException;
import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.stream.StreamListener;
import dev.redisstarter.messaging.stream.StreamPublisher;
import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimiter;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Every meter of the starter says what it measures (a description) and, for counters and gauges, in what unit,
 * as Micrometer's and Spring Boot's own meters do; a meter name registered in several places says the same
 * everywhere (some registries refuse a second registration that differs); and every registered meter is the one
 * documented in {@link StarterMeters} (from which the docs' meter table is generated), and the other way round.
 */
@RealRedis
class MeterConventionsTests {

	/** Gauges whose value is a state code (0 closed, 1 open ...), not a quantity: no unit fits them. */
	private static final Set<String> STATE_GAUGES = Set.of("redis.starter.circuit.open",
			"redis.starter.queue.circuit.open", "redis.starter.stream.circuit.state");

	/**
	 * Documented meters registered only when something goes wrong or races, which this run does not provoke: a caller
	 * waiting for another's load, a failed early refresh, a load slower than its timeout, Redis failing under the
	 * cache (CacheContractTests and RedisDownCacheTests provoke them).
	 */
	private static final Set<String> REGISTERED_ON_FAILURE_ONLY = Set.of("redis.starter.cache.coalesced",
			"redis.starter.cache.refresh.failures", "redis.starter.cache.loads.uncached",
			"redis.starter.cache.redis.failures");

	static class Handlers {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@JobHandler(queue = "meters-jobs")
		void job(String payload) {
			this.calls.add("queue");
		}

		@StreamListener(stream = "meters-stream", group = "meters")
		void entry(String payload) {
			this.calls.add("stream");
		}

		@RedisListener("meters-channel")
		void message(String payload) {
			this.calls.add("pubsub");
		}

	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterRateLimitAutoConfiguration.class, RedisStarterLockAutoConfiguration.class,
				RedisStarterSessionAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class,
				RedisStarterListenerAutoConfiguration.class, RedisStarterMessagingAutoConfiguration.class,
				RedisStarterStreamsAutoConfiguration.class, RedisStarterQueueAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=mc-" + UUID.randomUUID() + ":",
				"redis.starter.stream.defaults.read-block=200ms", "redis.starter.queue.shutdown-wait=2s",
				"redis.starter.stream.shutdown-wait=2s", "redis.starter.queue.schedules.meters-digest.queue=meters-jobs",
				"redis.starter.queue.schedules.meters-digest.cron=0 0 7 * * *",
				"redis.starter.cache.caches.near.near.enabled=true",
				"redis.starter.cache.caches.views.write-behind.enabled=true",
				"redis.starter.cache.caches.views.write-behind.persist=false")
		.withBean(Handlers.class)
		// Cache warming runs at start-up and registers redis.starter.cache.warmed.
		.withBean(CacheWarmer.class, () -> CacheWarmer.ofEntries("warmed", () -> Map.of("1", "one")));

	@Test
	void everyStarterMeterHasADescriptionAndCountersAndGaugesABaseUnit() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.runner.withBean(MeterRegistry.class, () -> meters).run((context) -> {
			assertThat(context).hasNotFailed();
			useEveryCapability(context);

			List<Meter> starterMeters = meters.getMeters()
				.stream()
				.filter((meter) -> meter.getId().getName().startsWith("redis.starter."))
				.toList();
			Set<String> capabilities = new TreeSet<>();
			starterMeters.forEach((meter) -> capabilities.add(meter.getId().getName().split("\\.")[2]));
			assertThat(capabilities).as("every capability was exercised")
				.contains("cache", "ratelimit", "lock", "session", "messaging", "stream", "queue", "circuit");
			assertThat(starterMeters).extracting((meter) -> meter.getId().getName())
				.as("meters registered on first use, or once per schedule or circuit")
				.contains("redis.starter.cache.gets", "redis.starter.messaging.requests",
						"redis.starter.messaging.queue.depth", "redis.starter.queue.schedule.ticks",
						"redis.starter.queue.circuit.openings", "redis.starter.stream.circuit.state",
						"redis.starter.circuit.openings", "redis.starter.deadlines.expired", "redis.starter.cache.warmed");
			assertMatchesTheDocumentation(starterMeters);
			Map<String, Meter.Id> firstByName = new HashMap<>();
			for (Meter meter : starterMeters) {
				Meter.Id id = meter.getId();
				assertThat(id.getDescription()).as("description of %s", id).isNotBlank();
				boolean countedOrGauged = id.getType() == Meter.Type.COUNTER || id.getType() == Meter.Type.GAUGE;
				if (countedOrGauged && !STATE_GAUGES.contains(id.getName())) {
					assertThat(id.getBaseUnit()).as("base unit of %s", id).isNotBlank();
				}
				Meter.Id first = firstByName.putIfAbsent(id.getName(), id);
				if (first != null) {
					assertThat(id.getDescription()).as("description of %s, as at %s", id, first)
						.isEqualTo(first.getDescription());
					assertThat(id.getBaseUnit()).as("base unit of %s, as at %s", id, first)
						.isEqualTo(first.getBaseUnit());
					// Some registries refuse one name with different tag keys or types (Prometheus's, before 1.13).
					assertThat(id.getTags().stream().map((tag) -> tag.getKey()).sorted().toList())
						.as("tag keys of %s, as at %s", id, first)
						.isEqualTo(first.getTags().stream().map((tag) -> tag.getKey()).sorted().toList());
					assertThat(id.getType()).as("type of %s, as at %s", id, first).isEqualTo(first.getType());
				}
			}
		});
	}

	/**
	 * Micrometer's Prometheus registry refuses a meter whose name is registered with another type, or whose name maps
	 * to the Prometheus name of another meter ({@code a.b-c} and {@code a.b.c}): every meter of the starter registers
	 * there, and the meters that share a name (a listener's and the inbox's dropped messages, the jobs by state) are
	 * scraped under one name with the same labels. (Since Micrometer 1.13 this registry accepts one name with
	 * different tag keys; the test above checks those against the documentation.)
	 */
	@Test
	void everyStarterMeterRegistersInPrometheusAndIsScraped() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		List<String> refused = new CopyOnWriteArrayList<>();
		prometheus.config().onMeterRegistrationFailed((id, reason) -> refused.add(id + ": " + reason));
		this.runner.withBean(MeterRegistry.class, () -> prometheus).run((context) -> {
			assertThat(context).hasNotFailed();
			useEveryCapability(context);
			assertThat(refused).as("registrations Prometheus refused").isEmpty();
			List<String> scraped = prometheus.scrape().lines().toList();
			// The inbox's function counter and a listener's counter share the name and its tag keys.
			assertThat(scraped).filteredOn((line) -> line.matches("redis_starter_messaging_dropped\\w*_total\\{.*"))
				.hasSizeGreaterThanOrEqualTo(2)
				.anyMatch((line) -> line.contains("{listener=\"inbox\",route=\"*\"}"));
			assertThat(scraped).filteredOn((line) -> line.matches("redis_starter_queue_jobs\\w*\\{queue=\"meters-jobs\",.*"))
				.hasSize(4);
			assertThat(refused).as("registrations Prometheus refused").isEmpty();
		});
	}

	private static void useEveryCapability(AssertableApplicationContext context) {
		context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
		// Each capability once, so that the meters it registers on first use exist.
		CacheService cache = context.getBean(CacheService.class);
		cache.getOrLoad("products:1", String.class, Duration.ofMinutes(1), () -> "one");
		cache.get("products:1", String.class);
		cache.set("products:2", "text", Duration.ofMinutes(1));
		assertThat(cache.get("products:2", Integer.class)).as("a value that does not parse reads as absent").isEmpty();
		cache.invalidateTags("meters-tag");
		// A write-behind cache's write (persisted elsewhere: no writer here).
		cache.set("views:1", 1L, Duration.ofMinutes(1));
		// A near-cached cache: a local hit once its subscription is up, then a pattern invalidation drops the copy.
		cache.set("near:1", "local", Duration.ofMinutes(1));
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
			cache.get("near:1", String.class);
			return context.getBean(MeterRegistry.class).find("redis.starter.cache.near.hits").counter() != null;
		});
		cache.invalidatePattern("near:*");
		context.getBean(RateLimiter.class).tryAcquire("meters", RateLimit.fixedWindow(10, Duration.ofMinutes(1)));
		Optional<LockLease> lease = context.getBean(DistributedLock.class)
			.tryAcquire("meters", Duration.ofSeconds(1));
		assertThat(lease).isPresent();
		lease.get().close();
		context.getBean(SessionService.class).create("ann", Map.of());
		MessageBus bus = context.getBean(MessageBus.class);
		bus.publish("meters-channel", "message");
		// Nobody replies on this channel: the request times out, and is counted.
		assertThatExceptionOfType(MessageRequestTimeoutException.class)
			.isThrownBy(() -> bus.request("meters-nobody", "ping", String.class, Duration.ofMillis(200)));
		context.getBean(StreamPublisher.class).add("meters-stream", "entry");
		context.getBean(JobQueue.class).enqueue("meters-jobs", "job");
		Handlers handlers = context.getBean(Handlers.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> handlers.calls.containsAll(List.of("queue", "stream", "pubsub")));
	}

	/**
	 * A meter built directly with Micrometer, not from its enum, escapes the run above when only a failure registers
	 * it; so no main source but {@link StarterMeter} itself may build or register a meter.
	 */
	@Test
	void noMeterIsBuiltExceptFromItsDocumentation() throws IOException {
		Path sources = Path.of("src/main/java");
		assertThat(sources.resolve("dev/redisstarter/core/StarterMeter.java")).as("run from the module's directory")
			.isRegularFile();
		Pattern direct = Pattern.compile("\\b(Counter|Timer|Gauge|FunctionCounter|FunctionTimer|LongTaskTimer"
				+ "|DistributionSummary|TimeGauge|MultiGauge)\\.builder\\(|\\.(counter|gauge|gaugeCollectionSize"
				+ "|gaugeMapSize|timer|summary|more)\\(");
		List<String> builtDirectly;
		try (Stream<Path> files = Files.walk(sources)) {
			builtDirectly = files.filter((file) -> file.toString().endsWith(".java"))
				.filter((file) -> !file.endsWith(Path.of("dev/redisstarter/core/StarterMeter.java")))
				.flatMap((file) -> lines(file).filter((line) -> direct.matcher(line).find())
					.map((line) -> sources.relativize(file) + ": " + line.strip()))
				.toList();
		}
		assertThat(builtDirectly).as("meters built without their enum (declare them in the capability's *Meter enum)")
			.isEmpty();
	}

	private static Stream<String> lines(Path file) {
		try {
			return Files.readAllLines(file).stream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void assertMatchesTheDocumentation(List<Meter> registered) {
		Map<String, StarterMeter> documented = new HashMap<>();
		for (StarterMeter meter : StarterMeters.all()) {
			assertThat(documented.put(meter.getName(), meter)).as("documented once: %s", meter.getName()).isNull();
		}
		Set<String> seen = new TreeSet<>();
		for (Meter meter : registered) {
			Meter.Id id = meter.getId();
			StarterMeter documentation = documented.get(id.getName());
			assertThat(documentation).as("documentation of %s in StarterMeters", id).isNotNull();
			assertThat(id.getType()).as("type of %s", id).isEqualTo(documentation.getType());
			if (id.getType() != Meter.Type.TIMER) {
				// A timer's unit is the registry's time unit.
				assertThat(id.getBaseUnit()).as("base unit of %s", id).isEqualTo(documentation.getBaseUnit());
			}
			assertThat(id.getDescription()).as("description of %s", id).isEqualTo(documentation.getDescription());
			assertThat(id.getTags().stream().map((tag) -> tag.getKey()).sorted().toList()).as("tag keys of %s", id)
				.isEqualTo(Arrays.stream(documentation.getKeyNames()).map(KeyName::asString).sorted().toList());
			seen.add(id.getName());
		}
		Set<String> neverRegistered = new TreeSet<>(documented.keySet());
		neverRegistered.removeAll(seen);
		assertThat(neverRegistered).as("documented meters this run did not register").isEqualTo(
				new TreeSet<>(REGISTERED_ON_FAILURE_ONLY));
	}

}
