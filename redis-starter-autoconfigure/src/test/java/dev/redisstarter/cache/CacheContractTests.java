package dev.redisstarter.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The cache's behaviour, run against each topology by a subclass. */
abstract class CacheContractTests {

	private static final KeyNaming KEYS = new KeyNaming("cachetest:");

	record Product(long id, String name, String category) {
	}

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	abstract RedisDeployment deployment();

	private final List<RedisCacheService> services = new ArrayList<>();

	@AfterEach
	void close() {
		this.services.forEach(RedisCacheService::close);
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	LettuceConnectionFactory factory() {
		LettuceConnectionFactory factory = ConnectionFactories.lettuce(deployment());
		this.factories.add(factory);
		return factory;
	}

	/** A cache with connections of its own, standing in for one application instance. */
	CacheService cache(CacheSettings settings) {
		RedisCacheService cache = new RedisCacheService(factory(), KEYS,
				new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(this.meters)), settings,
				new CacheMetrics(this.meters));
		this.services.add(cache);
		if (settings.localTagVersions()) {
			// The invalidation subscription connects in the background: tests start once it is up.
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (!cache.tagVersionsTrusted() && System.nanoTime() < deadline) {
				LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
			}
		}
		return cache;
	}

	/** Calls per command so far, summed over every node. */
	Map<String, Long> commandCalls() {
		Map<String, Long> calls = new HashMap<>();
		try (RedisConnection connection = factory().getConnection()) {
			Properties stats = connection.serverCommands().info("commandstats");
			stats.forEach((name, value) -> {
				String command = name.toString().replaceFirst(".*cmdstat_", "");
				String count = value.toString().replaceFirst("^calls=(\\d+),.*$", "$1");
				calls.merge(command, Long.parseLong(count), Long::sum);
			});
		}
		return calls;
	}

	static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
		return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
	}

	private double meter(String name, String result) {
		return this.meters.find(name).tag("outcome", result).counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	static String unique(String name) {
		return name + "-" + UUID.randomUUID();
	}

	@Test
	void sixtyFourThreadsOverThreeInstancesMissingOneColdKeyLoadItOnce() throws Exception {
		List<CacheService> instances = List.of(cache(CacheSettings.DEFAULTS), cache(CacheSettings.DEFAULTS),
				cache(CacheSettings.DEFAULTS));
		String key = unique("product");
		AtomicInteger loads = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(64);
		List<Product> seen = new ArrayList<>();
		try {
			List<Future<Product>> callers = new ArrayList<>();
			for (int t = 0; t < 64; t++) {
				CacheService instance = instances.get(t % 3);
				callers.add(pool.submit(() -> {
					start.await();
					return instance.getOrLoad(key, Product.class, Duration.ofMinutes(5), () -> {
						loads.incrementAndGet();
						sleep(200);
						return new Product(1, "Lamp", "home");
					});
				}));
			}
			start.countDown();
			for (Future<Product> caller : callers) {
				seen.add(caller.get(30, TimeUnit.SECONDS));
			}
		}
		finally {
			pool.shutdown();
		}
		assertThat(loads.get()).isEqualTo(1);
		assertThat(seen).hasSize(64).containsOnly(new Product(1, "Lamp", "home"));
	}

	@Test
	void aNullFromTheLoaderIsCachedForTheNullTtlAndThenReloaded() throws Exception {
		CacheService cache = cache(CacheSettings.DEFAULTS.withNullTtl(Duration.ofMillis(400)).withTtlJitter(0));
		String key = unique("missing");
		AtomicInteger loads = new AtomicInteger();
		for (int i = 0; i < 5; i++) {
			assertThat(cache.getOrLoad(key, Product.class, Duration.ofMinutes(5), () -> {
				loads.incrementAndGet();
				return null;
			})).isNull();
		}
		assertThat(loads.get()).isEqualTo(1);
		assertThat(cache.get(key, Product.class)).isEmpty();
		Thread.sleep(500);
		cache.getOrLoad(key, Product.class, Duration.ofMinutes(5), () -> {
			loads.incrementAndGet();
			return null;
		});
		assertThat(loads.get()).isEqualTo(2);
	}

	@Test
	void aCachedAbsenceCarriesItsTagsSoAnInvalidationEndsIt() {
		CacheService cache = cache(CacheSettings.DEFAULTS.withNullTtl(Duration.ofMinutes(5)));
		String key = unique("product");
		String tag = unique("product:7");
		AtomicInteger loads = new AtomicInteger();
		Supplier<Product> notYetCreated = () -> {
			loads.incrementAndGet();
			return null;
		};
		assertThat(cache.getOrLoad(key, Product.class, Duration.ofMinutes(5), notYetCreated, (product) -> List.of(tag),
				(product) -> true)).isNull();
		assertThat(cache.getOrLoad(key, Product.class, Duration.ofMinutes(5), notYetCreated, (product) -> List.of(tag),
				(product) -> true)).as("the absence is cached").isNull();
		assertThat(loads.get()).isEqualTo(1);
		cache.invalidateTags(tag);
		assertThat(cache.getOrLoad(key, Product.class, Duration.ofMinutes(5), () -> new Product(7, "created", "home"),
				(product) -> List.of(tag), (product) -> true)).as("the product created since is found").isNotNull();

		String set = unique("set-absent");
		cache.set(set, null, Duration.ofMinutes(5), tag);
		cache.invalidateTags(tag);
		assertThat(cache.getOrLoad(set, String.class, Duration.ofMinutes(5), () -> "now present")).isEqualTo("now present");
	}

	@Test
	void anyTagStringWorksSoTagsFromDataCannotCorruptAnEntry() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		for (String tag : List.of("author:Ann\nD:1", "category:Books, Music", "a=b", "percent%2C", "line\r\nbreak",
				"t\u00e9l\u00e9phone")) {
			String unique = unique(tag);
			String key = unique("k");
			AtomicInteger loads = new AtomicInteger();
			Supplier<String> loader = () -> "v" + loads.incrementAndGet();
			assertThat(cache.getOrLoad(key, String.class, Duration.ofMinutes(5), loader, (value) -> List.of(unique),
					(value) -> true)).isEqualTo("v1");
			assertThat(cache.getOrLoad(key, String.class, Duration.ofMinutes(5), loader, (value) -> List.of(unique),
					(value) -> true)).as("cached with tag '%s'", tag).isEqualTo("v1");
			cache.invalidateTags(unique);
			assertThat(cache.get(key, String.class)).as("invalidated by tag '%s'", tag).isEmpty();
		}
	}

	@Test
	void anEmptyTagIsRefusedOnEveryPath() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		assertThatIllegalArgumentException().isThrownBy(() -> cache.set(unique("k"), "v", Duration.ofMinutes(1), ""));
		assertThatIllegalArgumentException().isThrownBy(() -> cache.getOrLoad(unique("k"), String.class,
				Duration.ofMinutes(1), () -> "v", (value) -> List.of(""), (value) -> true));
	}

	@Test
	void aLoadThatOutlivesTheLoadTimeoutIsServedButNotCached() {
		CacheSettings shortLoads = new CacheSettings(CachePolicy.DEFAULTS, Map.of(), Duration.ofMillis(300),
				Duration.ofSeconds(5), Duration.ofMillis(20), false, true);
		CacheService cache = cache(shortLoads);
		String key = unique("slow");
		AtomicInteger loads = new AtomicInteger();
		Supplier<Integer> slow = () -> {
			sleep(450);
			return loads.incrementAndGet();
		};
		assertThat(cache.getOrLoad(key, Integer.class, Duration.ofMinutes(5), slow)).isEqualTo(1);
		assertThat(cache.get(key, Integer.class)).as("an invalidation during the load might have been missed").isEmpty();
		assertThat(meter(CacheMetrics.UNCACHED_LOADS, "too-slow")).isEqualTo(1);
	}

	@Test
	void theLoadTimeoutIsCheckedWhenTheEntryIsWrittenNotWhenTheLoaderReturns() {
		CacheSettings shortLoads = new CacheSettings(CachePolicy.DEFAULTS, Map.of(), Duration.ofMillis(500),
				Duration.ofSeconds(5), Duration.ofMillis(20), false, true);
		CacheService cache = cache(shortLoads);
		String key = unique("slow-tags");
		String tag = unique("t");
		// The loader returns within the load timeout; computing its tags takes the load past it.
		assertThat(cache.getOrLoad(key, String.class, Duration.ofMinutes(5), () -> {
			sleep(300);
			return "v";
		}, (value) -> {
			sleep(350);
			return List.of(tag);
		}, (value) -> true)).isEqualTo("v");
		assertThat(cache.get(key, String.class)).as("older than the load timeout when written").isEmpty();
	}

	@Test
	void aLoaderExceptionReachesTheCallerUnchangedAndIsNeverTakenForARedisFailure() {
		for (boolean failOnRedisDown : new boolean[] { false, true }) {
			CacheService cache = cache(new CacheSettings(CachePolicy.DEFAULTS, Map.of(), Duration.ofSeconds(10),
					Duration.ofSeconds(5), Duration.ofMillis(20), failOnRedisDown, true));
			AtomicInteger loads = new AtomicInteger();
			QueryTimeoutException databaseDown = new QueryTimeoutException("database is down");
			assertThatExceptionOfType(QueryTimeoutException.class)
				.isThrownBy(() -> cache.getOrLoad(unique("db"), String.class, Duration.ofMinutes(1), () -> {
					loads.incrementAndGet();
					throw databaseDown;
				}))
				.isSameAs(databaseDown);
			assertThat(loads.get()).as("not retried as if Redis had failed").isEqualTo(1);
		}
		assertThat(this.meters.find(CacheMetrics.REDIS_FAILURES).counters()).isEmpty();
	}

	@Test
	void aFailingEarlyRefreshServesTheCachedValueAndIsCounted() {
		CachePolicy hot = CachePolicy.DEFAULTS.withTtlJitter(0).withEarlyRefresh(true, 50);
		CacheService cache = cache(CacheSettings.DEFAULTS.withCaches(Map.of("hot", hot)));
		String key = "hot:" + UUID.randomUUID();
		AtomicInteger loads = new AtomicInteger();
		Supplier<String> failingAfterTheFirst = () -> {
			sleep(20);
			if (loads.incrementAndGet() > 1) {
				throw new IllegalStateException("the database is down");
			}
			return "cached";
		};
		assertThat(cache.getOrLoad(key, String.class, Duration.ofMillis(800), failingAfterTheFirst)).isEqualTo("cached");
		for (int i = 0; i < 10; i++) {
			sleep(30);
			assertThat(cache.getOrLoad(key, String.class, Duration.ofMillis(800), failingAfterTheFirst))
				.as("served while the refresh fails").isEqualTo("cached");
		}
		assertThat(loads.get()).as("refreshes were tried").isGreaterThan(1);
		assertThat(meter(CacheMetrics.REFRESH_FAILURES, "failure")).isPositive();
	}

	@Test
	void cachesNamedLockOrTagNeverMeetTheCachesOwnRecords() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		String id = UUID.randomUUID().toString();
		cache.set("lock:products:" + id, "an entry of a cache named lock", Duration.ofMinutes(5));
		cache.set("tag:" + id, "an entry of a cache named tag", Duration.ofMinutes(5));
		long start = System.nanoTime();
		assertThat(cache.getOrLoad("products:" + id, String.class, Duration.ofMinutes(5), () -> "loaded"))
			.isEqualTo("loaded");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait behind a foreign 'lock'")
			.isLessThan(Duration.ofSeconds(2));
		assertThat(cache.get("lock:products:" + id, String.class)).contains("an entry of a cache named lock");
		cache.set("products:" + id + ":2", "v", Duration.ofMinutes(5), id);
		assertThat(cache.get("tag:" + id, String.class)).as("not overwritten by a tag's version")
			.contains("an entry of a cache named tag");
		assertThatIllegalArgumentException().isThrownBy(() -> cache.get(":tag:" + id, String.class))
			.as("a key may be a caller's: named masked")
			.withMessageNotContaining(id);
	}

	@Test
	void keysWithoutACacheNameShareOneMeter() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		for (int i = 0; i < 50; i++) {
			cache.get("user-" + UUID.randomUUID(), String.class);
		}
		assertThat(this.meters.find(CacheMetrics.GETS).counters()).singleElement()
			.satisfies((counter) -> assertThat(counter.getId().getTag("cache")).isEqualTo(CacheMetrics.NO_CACHE_NAME));
	}

	@Test
	void oneTagInvalidatesEntriesInDifferentSlots() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		String tag = unique("category:home");
		Set<Integer> slots = new HashSet<>();
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			String key = unique("product");
			keys.add(key);
			slots.add(SlotHash.getSlot(KEYS.key(Feature.CACHE, key)));
			cache.set(key, new Product(i, "p" + i, "home"), Duration.ofMinutes(5), tag, "product:" + i);
		}
		assertThat(slots).hasSizeGreaterThan(1);
		keys.forEach((key) -> assertThat(cache.get(key, Product.class)).isPresent());
		assertThat(cache.invalidateTags(tag)).isEqualTo(1);
		keys.forEach((key) -> assertThat(cache.get(key, Product.class)).isEmpty());
	}

	@Test
	void anEntryWithTwoTagsGoesWhenEitherIsInvalidated() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		String x = unique("x");
		String y = unique("y");
		String first = unique("k");
		String second = unique("k");
		cache.set(first, "one", Duration.ofMinutes(5), x, y);
		cache.set(second, "two", Duration.ofMinutes(5), x, y);
		cache.invalidateTags(y);
		assertThat(cache.get(first, String.class)).isEmpty();
		cache.set(second, "two", Duration.ofMinutes(5), x, y);
		assertThat(cache.get(second, String.class)).contains("two");
		cache.invalidateTags(x);
		assertThat(cache.get(second, String.class)).isEmpty();
	}

	@Test
	void deletingTagBookkeepingByHandNeverMakesAnInvalidatedEntryReadable() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		StringRedisTemplate redis = new StringRedisTemplate(factory());
		String tag = unique("t");
		String stale = unique("stale");
		String fresh = unique("fresh");
		cache.set(stale, "old", Duration.ofMinutes(5), tag);
		cache.invalidateTags(tag);
		assertThat(cache.get(stale, String.class)).isEmpty();
		cache.set(fresh, "new", Duration.ofMinutes(5), tag);
		assertThat(cache.get(stale, String.class)).as("a new version, never the old one").isEmpty();
		assertThat(cache.get(fresh, String.class)).contains("new");
		redis.delete(KEYS.key(Feature.CACHE, "", "tag", tag));
		assertThat(cache.get(stale, String.class)).as("the old version is forgotten here too").isEmpty();
		CacheService another = cache(CacheSettings.DEFAULTS);
		assertThat(another.get(stale, String.class)).isEmpty();
		assertThat(another.get(fresh, String.class)).as("an evicted tag fails safe, as a miss").isEmpty();
		cache.set(fresh, "newer", Duration.ofMinutes(5), tag);
		assertThat(another.get(stale, String.class)).as("the tag's next version is new as well").isEmpty();
		assertThat(another.get(fresh, String.class)).contains("newer");
	}

	@Test
	void tagBookkeepingExpiresWithItsEntries() throws Exception {
		CacheService cache = cache(CacheSettings.DEFAULTS.withTtlJitter(0));
		StringRedisTemplate redis = new StringRedisTemplate(factory());
		String tag = unique("short");
		cache.set(unique("k"), "v", Duration.ofMillis(300), tag);
		String tagKey = KEYS.key(Feature.CACHE, "", "tag", tag);
		assertThat(redis.getExpire(tagKey, TimeUnit.MILLISECONDS)).isBetween(1L, 300L);
		Thread.sleep(450);
		assertThat(redis.hasKey(tagKey)).isFalse();
	}

	@Test
	void entriesWrittenConcurrentlyBeforeAnInvalidationAreNeverServedAfterIt() throws Exception {
		List<CacheService> writers = List.of(cache(CacheSettings.DEFAULTS), cache(CacheSettings.DEFAULTS));
		CacheService reader = cache(CacheSettings.DEFAULTS);
		String tag = unique("race");
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			keys.add(unique("k"));
		}
		CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < keys.size(); i++) {
				writers.get(i % 2).set(keys.get(i), "v" + i, Duration.ofMinutes(5), tag);
			}
		});
		writing.get(10, TimeUnit.SECONDS);
		cache(CacheSettings.DEFAULTS).invalidateTags(tag);
		for (String key : keys) {
			assertThat(reader.get(key, String.class)).isEmpty();
		}
	}

	@Test
	void aTaggedHitIsOneRoundTripOnceItsTagVersionsAreKnown() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		String key = unique("hot");
		cache.set(key, "v", Duration.ofMinutes(5), unique("a"), unique("b"));
		assertThat(cache.get(key, String.class)).contains("v");
		assertThat(cache.get(key, String.class)).contains("v");
		Map<String, Long> before = commandCalls();
		for (int i = 0; i < 50; i++) {
			assertThat(cache.get(key, String.class)).contains("v");
		}
		Map<String, Long> after = commandCalls();
		assertThat(delta(before, after, "mget")).as("no tag versions read from Redis").isZero();
		assertThat(delta(before, after, "get")).isGreaterThanOrEqualTo(50);
	}

	@Test
	void withoutLocalVersionsEveryTaggedHitChecksRedis() {
		CacheService cache = cache(CacheSettings.DEFAULTS.withLocalTagVersions(false));
		String key = unique("strict");
		cache.set(key, "v", Duration.ofMinutes(5), unique("a"));
		Map<String, Long> before = commandCalls();
		for (int i = 0; i < 10; i++) {
			assertThat(cache.get(key, String.class)).contains("v");
		}
		assertThat(delta(before, commandCalls(), "mget")).isGreaterThanOrEqualTo(10);
	}

	@Test
	void anotherInstanceStopsServingAnInvalidatedEntryOnceTheNoticeArrives() throws Exception {
		CacheService writer = cache(CacheSettings.DEFAULTS);
		CacheService reader = cache(CacheSettings.DEFAULTS);
		CacheService strict = cache(CacheSettings.DEFAULTS.withLocalTagVersions(false));
		String tag = unique("t");
		String key = unique("k");
		writer.set(key, "v", Duration.ofMinutes(5), tag);
		assertThat(reader.get(key, String.class)).contains("v");
		assertThat(reader.get(key, String.class)).contains("v");
		writer.invalidateTags(tag);
		assertThat(writer.get(key, String.class)).as("at once on the invalidating instance").isEmpty();
		assertThat(strict.get(key, String.class)).as("at once without local versions").isEmpty();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
		while (reader.get(key, String.class).isPresent() && System.nanoTime() < deadline) {
			sleep(1);
		}
		for (int i = 0; i < 20; i++) {
			assertThat(reader.get(key, String.class)).isEmpty();
		}
	}

	@Test
	void aLoadThatStartedBeforeAnInvalidationOfItsTagsIsServedButNotCached() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		CacheService other = cache(CacheSettings.DEFAULTS);
		String key = unique("raced");
		String tag = unique("category");
		cache.set(unique("warm"), "x", Duration.ofMinutes(5), tag);
		// The data source is read, then (before the value is cached) another instance changes it and invalidates.
		Product loaded = cache.getOrLoad(key, Product.class, Duration.ofMinutes(5), () -> {
			Product old = new Product(1, "old", tag);
			other.invalidateTags(tag);
			return old;
		}, (product) -> List.of(product.category()), (product) -> true);
		assertThat(loaded.name()).isEqualTo("old");
		assertThat(cache.get(key, Product.class)).as("the stale load was not cached").isEmpty();
		assertThat(other.get(key, Product.class)).isEmpty();
		sleep(150);
		Product reloaded = cache.getOrLoad(key, Product.class, Duration.ofMinutes(5), () -> new Product(1, "new", tag),
				(product) -> List.of(product.category()), (product) -> true);
		assertThat(reloaded.name()).isEqualTo("new");
		assertThat(other.get(key, Product.class)).contains(reloaded);
	}

	@Test
	void aHotEntryIsRefreshedBeforeItExpiresSoReadersNeverMiss() {
		CachePolicy hot = CachePolicy.DEFAULTS.withTtlJitter(0).withEarlyRefresh(true, 3);
		CacheService cache = cache(CacheSettings.DEFAULTS.withCaches(Map.of("hot", hot)));
		String key = "hot:" + UUID.randomUUID();
		AtomicInteger loads = new AtomicInteger();
		Supplier<Integer> slowLoader = () -> {
			sleep(40);
			return loads.incrementAndGet();
		};
		long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
		Set<Integer> seen = new HashSet<>();
		while (System.nanoTime() < end) {
			seen.add(cache.getOrLoad(key, Integer.class, Duration.ofMillis(400), slowLoader));
			sleep(5);
		}
		assertThat(loads.get()).as("refreshed while hot").isGreaterThanOrEqualTo(3);
		assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
		assertThat(meter(CacheMetrics.GETS, "miss")).as("only the first read missed").isEqualTo(1);
		assertThat(meter(CacheMetrics.GETS, "refresh")).isGreaterThanOrEqualTo(2);
	}

	@Test
	void getAllLeavesOutEntriesWhoseTagWasInvalidated() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		String tag = unique("t");
		Map<String, String> keys = new LinkedHashMap<>();
		for (int i = 0; i < 30; i++) {
			keys.put(unique("k" + i), "v" + i);
		}
		List<String> names = new ArrayList<>(keys.keySet());
		for (int i = 0; i < names.size(); i++) {
			if (i % 3 == 0) {
				cache.set(names.get(i), keys.get(names.get(i)), Duration.ofMinutes(5), tag);
			}
			else {
				cache.set(names.get(i), keys.get(names.get(i)), Duration.ofMinutes(5));
			}
		}
		assertThat(cache.getAll(names, String.class)).hasSize(30);
		cache.invalidateTags(tag);
		Map<String, String> found = cache.getAll(names, String.class);
		assertThat(found).hasSize(20);
		assertThat(found.keySet()).doesNotContain(names.get(0), names.get(3));
	}

	@Test
	void metricsCountHitsMissesLoadsAndInvalidations() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		String key = "metered:" + UUID.randomUUID();
		cache.getOrLoad(key, String.class, Duration.ofMinutes(1), () -> "v");
		cache.getOrLoad(key, String.class, Duration.ofMinutes(1), () -> "v");
		assertThat(this.meters.get(CacheMetrics.GETS).tag("cache", "metered").tag("outcome", "miss").counter().count())
			.isEqualTo(1);
		assertThat(this.meters.get(CacheMetrics.GETS).tag("cache", "metered").tag("outcome", "hit").counter().count())
			.isEqualTo(1);
		assertThat(this.meters.get(CacheMetrics.LOADS).tag("cache", "metered").tag("outcome", "success").timer().count())
			.isEqualTo(1);
		cache.invalidateTags(unique("t"), unique("u"));
		assertThat(meter(CacheMetrics.INVALIDATIONS, "tag")).isEqualTo(2);
	}

	@Test
	void aCorruptValueIsAMissIsReplacedAndIsCounted() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		StringRedisTemplate redis = new StringRedisTemplate(factory());
		String key = unique("corrupt");
		redis.opsForValue().set(KEYS.key(Feature.CACHE, key), "{\"id\": oops", Duration.ofMinutes(1));
		assertThat(cache.get(key, Product.class)).isEmpty();
		assertThat(this.meters.get(DecodeFailureReporter.METER_NAME).counter().count()).isEqualTo(1);
		Product loaded = cache.getOrLoad(key, Product.class, Duration.ofMinutes(1), () -> new Product(2, "Desk", "office"));
		assertThat(cache.get(key, Product.class)).contains(loaded);
	}

	@Test
	void timesToLiveAreSpreadByTheJitter() {
		CacheService cache = cache(CacheSettings.DEFAULTS.withTtlJitter(0.2));
		StringRedisTemplate redis = new StringRedisTemplate(factory());
		Set<Long> ttls = new HashSet<>();
		for (int i = 0; i < 30; i++) {
			String key = unique("j");
			cache.set(key, i, Duration.ofSeconds(100));
			long ttl = redis.getExpire(KEYS.key(Feature.CACHE, key), TimeUnit.SECONDS);
			assertThat(ttl).isBetween(78L, 120L);
			ttls.add(ttl);
		}
		assertThat(ttls).hasSizeGreaterThan(5);
	}

	@Test
	void writeThroughStoresFirstAndCachesNothingWhenTheStoreFails() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		String key = unique("wt");
		List<Product> stored = new ArrayList<>();
		Product lamp = new Product(5, "Lamp", "home");
		assertThat(cache.writeThrough(key, lamp, Duration.ofMinutes(1), stored::add, "product:5")).isEqualTo(lamp);
		assertThat(stored).containsExactly(lamp);
		assertThat(cache.get(key, Product.class)).contains(lamp);
		String failing = unique("wt");
		org.assertj.core.api.Assertions.assertThatIllegalStateException()
			.isThrownBy(() -> cache.writeThrough(failing, lamp, Duration.ofMinutes(1), (value) -> {
				throw new IllegalStateException("database down");
			}));
		assertThat(cache.get(failing, Product.class)).isEmpty();
	}

	@Test
	void getAllReturnsTheEntriesFoundAndSetAllWritesMany() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		String tag = unique("t");
		java.util.Map<String, Integer> entries = new java.util.LinkedHashMap<>();
		for (int i = 0; i < 10; i++) {
			entries.put(unique("many"), i);
		}
		cache.setAll(entries, Duration.ofMinutes(1));
		String tagged = unique("tagged");
		cache.set(tagged, 99, Duration.ofMinutes(1), tag);
		cache.invalidateTags(tag);
		List<String> keys = new ArrayList<>(entries.keySet());
		keys.add(tagged);
		keys.add(unique("absent"));
		assertThat(cache.getAll(keys, Integer.class)).isEqualTo(entries);
	}

	@Test
	void invalidatePatternRemovesMatchingEntriesOnEveryMasterAndNothingElse() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		String group = unique("group");
		String tag = unique("kept-tag");
		Set<Integer> slots = new HashSet<>();
		for (int i = 0; i < 30; i++) {
			String key = group + ":" + i;
			slots.add(SlotHash.getSlot(KEYS.key(Feature.CACHE, key)));
			cache.set(key, i, Duration.ofMinutes(1), tag);
		}
		String other = unique("other");
		cache.set(other, "stays", Duration.ofMinutes(1), tag);
		assertThat(slots).hasSizeGreaterThan(3);
		assertThat(cache.invalidatePattern(group + ":*")).isEqualTo(30);
		assertThat(cache.get(group + ":7", Integer.class)).isEmpty();
		assertThat(cache.get(other, String.class)).as("other entries and their tags untouched").contains("stays");
	}

	@Test
	void deleteRemovesEntries() {
		CacheService cache = cache(CacheSettings.DEFAULTS);
		String a = unique("a");
		String b = unique("b");
		cache.set(a, 1, Duration.ofMinutes(1));
		cache.set(b, 2, Duration.ofMinutes(1));
		cache.delete(a, b);
		assertThat(cache.get(a, Integer.class)).isEmpty();
		assertThat(cache.get(b, Integer.class)).isEmpty();
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
