package dev.redisstarter.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.lettuce.core.KillArgs;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The near cache against each topology (a subclass each): local hits without a round trip, and never a copy served
 * after this instance has learnt it is outdated: writes on another instance, tag invalidations, the loss of the
 * notices' subscription, expiry in Redis, and reads that overlap writes.
 */
abstract class NearCacheContractTests {

	static final KeyNaming KEYS = new KeyNaming("neartest:");

	static final CacheSettings NEAR = CacheSettings.DEFAULTS
		.withDefaults(CachePolicy.DEFAULTS.withNear(NearCachePolicy.OFF.withEnabled(true)));

	record Product(long id, String name) {
	}

	/** A value whose decoding takes 400 ms. */
	record SlowToRead(String name) {

		@JsonCreator
		static SlowToRead read(@JsonProperty("name") String name) {
			LockSupport.parkNanos(Duration.ofMillis(400).toNanos());
			return new SlowToRead(name);
		}

	}

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private final List<RedisCacheService> services = new ArrayList<>();

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	abstract RedisDeployment deployment();

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

	/** An instance with connections of its own, started once its subscriptions are up. */
	RedisCacheService cache(CacheSettings settings) {
		RedisCacheService cache = new RedisCacheService(factory(), KEYS,
				new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(this.meters)), settings,
				new CacheMetrics(this.meters));
		this.services.add(cache);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> (cache.tagVersionsTrusted() || !settings.localTagVersions()) && cache.nearCacheTrusted());
		return cache;
	}

	static String unique(String cache) {
		return cache + ":" + UUID.randomUUID();
	}

	long calls(String command) {
		long total = 0;
		try (RedisConnection connection = factory().getConnection()) {
			Properties stats = connection.serverCommands().info("commandstats");
			for (Map.Entry<Object, Object> stat : stats.entrySet()) {
				if (stat.getKey().toString().endsWith("cmdstat_" + command)) {
					total += Long.parseLong(stat.getValue().toString().replaceFirst("^calls=(\\d+),.*$", "$1"));
				}
			}
		}
		return total;
	}

	/** Kills every pub/sub connection on every node (the notices' and the tag versions' subscriptions). */
	void killSubscriptions() {
		try (RedisConnection admin = factory().getConnection()) {
			Object connection = admin.getNativeConnection();
			if (connection instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
				java.util.concurrent.CompletableFuture.allOf(
						cluster.all().commands().clientKill(KillArgs.Builder.typePubsub()).futures()).join();
			}
			else {
				((RedisClusterAsyncCommands<?, ?>) connection).clientKill(KillArgs.Builder.typePubsub())
					.toCompletableFuture()
					.join();
			}
		}
	}

	double counted(String meter, String tag, String value) {
		return this.meters.find(meter).tag(tag, value).counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	@Test
	void aRepeatedReadIsServedLocallyWithoutARoundTrip() {
		RedisCacheService cache = cache(NEAR);
		String key = unique("products");
		cache.set(key, new Product(1, "Lamp"), Duration.ofMinutes(5));
		assertThat(cache.get(key, Product.class)).contains(new Product(1, "Lamp"));
		long gets = calls("get");
		for (int i = 0; i < 100; i++) {
			assertThat(cache.get(key, Product.class)).contains(new Product(1, "Lamp"));
		}
		assertThat(calls("get") - gets).isZero();
		assertThat(counted(CacheMeter.NEAR_HITS.getName(), "cache", "products")).isGreaterThanOrEqualTo(100);
		assertThat(counted(CacheMeter.GETS.getName(), "outcome", "hit")).isGreaterThanOrEqualTo(100);
	}

	@Test
	void aCacheWithoutANearPolicyKeepsNothingLocally() {
		CacheSettings onlyProducts = CacheSettings.DEFAULTS
			.withCaches(Map.of("products", CachePolicy.DEFAULTS.withNear(NearCachePolicy.OFF.withEnabled(true))));
		RedisCacheService cache = cache(onlyProducts);
		String key = unique("orders");
		cache.set(key, "v", Duration.ofMinutes(5));
		cache.get(key, String.class);
		long gets = calls("get");
		cache.get(key, String.class);
		assertThat(calls("get") - gets).isEqualTo(1);
		assertThat(cache.nearCacheEntries("orders")).isZero();
	}

	@Test
	void cachesWithoutANearPolicyLeaveNothingBehindInTheNearCache() {
		CacheSettings onlyProducts = CacheSettings.DEFAULTS
			.withCaches(Map.of("products", CachePolicy.DEFAULTS.withNear(NearCachePolicy.OFF.withEnabled(true))));
		RedisCacheService cache = cache(onlyProducts);
		// Cache names come from keys, which may come from user input: one per request must not be remembered.
		String run = UUID.randomUUID().toString();
		for (int i = 0; i < 2_000; i++) {
			cache.get("u" + i + run + ":k", String.class);
		}
		assertThat(cache.nearCacheTiers()).isLessThanOrEqualTo(1);
	}

	@Test
	void nearCachedByDefaultTheNumberOfLocalTiersIsBoundedButNamedCachesAlwaysGetTheirs() {
		RedisCacheService cache = cache(NEAR.withCaches(Map.of("products", NEAR.defaults())));
		String run = UUID.randomUUID().toString();
		for (int i = 0; i < NearCache.MAX_TIERS + 200; i++) {
			cache.get("u" + i + run + ":k", String.class);
		}
		assertThat(cache.nearCacheTiers()).isEqualTo(NearCache.MAX_TIERS);
		String key = unique("products");
		cache.set(key, "v", Duration.ofMinutes(5));
		assertThat(cache.get(key, String.class)).contains("v");
		assertThat(cache.nearCacheEntries("products")).as("a cache named in configuration").isEqualTo(1);
	}

	@Test
	void aWriterWithoutATierForANearCachedCacheStillTellsTheInstancesThatHaveOne() {
		RedisCacheService writer = cache(NEAR);
		RedisCacheService reader = cache(NEAR);
		String cacheName = "late" + UUID.randomUUID().toString().substring(0, 8);
		String key = cacheName + ":k";
		writer.set(key, "v1", Duration.ofMinutes(5));
		await().atMost(Duration.ofSeconds(2)).until(() -> reader.get(key, String.class).isPresent()
				&& reader.nearCacheEntries(cacheName) > 0);
		String run = UUID.randomUUID().toString();
		for (int i = 0; writer.nearCacheTiers() < NearCache.MAX_TIERS; i++) {
			writer.get("u" + i + run + ":k", String.class);
		}
		writer.set(key, "v2", Duration.ofMinutes(5));
		await().atMost(Duration.ofSeconds(2)).until(() -> reader.get(key, String.class).orElse(""), "v2"::equals);
	}

	@Test
	void aWriteOnOneInstanceIsSeenOnAnotherOnceItsNoticeArrives() {
		RedisCacheService writer = cache(NEAR);
		RedisCacheService reader = cache(NEAR);
		String key = unique("products");
		writer.set(key, "v1", Duration.ofMinutes(5));
		assertThat(reader.get(key, String.class)).contains("v1");
		assertThat(reader.get(key, String.class)).contains("v1");
		writer.set(key, "v2", Duration.ofMinutes(5));
		await().atMost(Duration.ofSeconds(2)).until(() -> reader.get(key, String.class).orElse(""), "v2"::equals);
		writer.delete(key);
		await().atMost(Duration.ofSeconds(2)).until(() -> reader.get(key, String.class).isEmpty());
		String loaded = writer.getOrLoad(key, String.class, Duration.ofMinutes(5), () -> "v3");
		assertThat(loaded).isEqualTo("v3");
		await().atMost(Duration.ofSeconds(2)).until(() -> reader.get(key, String.class).orElse(""), "v3"::equals);
		writer.setAll(Map.of(key, "v4"), Duration.ofMinutes(5));
		await().atMost(Duration.ofSeconds(2)).until(() -> reader.get(key, String.class).orElse(""), "v4"::equals);
		assertThat(counted(CacheMeter.NEAR_DROPS.getName(), "outcome", "notice")).isPositive();
	}

	@Test
	void anInstanceSeesItsOwnWriteAtOnce() {
		RedisCacheService cache = cache(NEAR);
		String key = unique("products");
		cache.set(key, "v1", Duration.ofMinutes(5));
		assertThat(cache.get(key, String.class)).contains("v1");
		cache.set(key, "v2", Duration.ofMinutes(5));
		assertThat(cache.get(key, String.class)).contains("v2");
		cache.delete(key);
		assertThat(cache.get(key, String.class)).isEmpty();
	}

	@Test
	void aTagInvalidatedAnywhereMakesTheLocalCopyAMiss() {
		RedisCacheService writer = cache(NEAR);
		RedisCacheService reader = cache(NEAR);
		String key = unique("products");
		String tag = UUID.randomUUID().toString();
		writer.set(key, "v1", Duration.ofMinutes(5), tag);
		assertThat(reader.get(key, String.class)).contains("v1");
		assertThat(writer.get(key, String.class)).contains("v1");
		writer.invalidateTags(tag);
		assertThat(writer.get(key, String.class)).as("the invalidating instance, at once").isEmpty();
		await().atMost(Duration.ofSeconds(2)).until(() -> reader.get(key, String.class).isEmpty());
	}

	@Test
	void aPatternInvalidationDropsTheCacheLocallyEverywhere() {
		RedisCacheService writer = cache(NEAR);
		RedisCacheService reader = cache(NEAR);
		String key = unique("catalogue");
		writer.set(key, "v1", Duration.ofMinutes(5));
		// The writer's notice may come after the first read and drop its copy: read until one is kept.
		await().atMost(Duration.ofSeconds(2)).until(() -> reader.get(key, String.class).isPresent()
				&& reader.nearCacheEntries("catalogue") > 0);
		writer.invalidatePattern("catalogue:*");
		await().atMost(Duration.ofSeconds(2)).until(() -> reader.nearCacheEntries("catalogue") == 0);
		assertThat(reader.get(key, String.class)).isEmpty();
	}

	@Test
	void aCopyIsNotServedAfterItsEntryExpiredInRedis() throws Exception {
		RedisCacheService cache = cache(NEAR);
		String key = unique("products");
		cache.set(key, "v1", Duration.ofMillis(400));
		assertThat(cache.get(key, String.class)).contains("v1");
		assertThat(cache.get(key, String.class)).contains("v1");
		Thread.sleep(600);
		assertThat(cache.get(key, String.class)).isEmpty();
	}

	@Test
	void aCopyDecodedSlowlyIsNotServedPastItsEntrysExpiryInRedis() {
		RedisCacheService cache = cache(NEAR);
		String key = unique("products");
		long start = System.nanoTime();
		// Expires in Redis by start + 550 ms at the latest (10% jitter).
		cache.set(key, new SlowToRead("lamp"), Duration.ofMillis(500));
		assertThat(cache.get(key, SlowToRead.class)).contains(new SlowToRead("lamp"));
		LockSupport.parkNanos(start + Duration.ofMillis(700).toNanos() - System.nanoTime());
		assertThat(cache.get(key, SlowToRead.class)).as("expired in Redis, so expired here").isEmpty();
	}

	@Test
	void aLocalHitThroughAReaderOfRecordedTypesDoesNotResolveTheTypeAgain() {
		RedisCacheService cache = cache(NEAR);
		String key = unique("products");
		JavaType string = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)).javaType(String.class);
		AtomicInteger resolved = new AtomicInteger();
		// As the Spring Cache bridge's reader, which resolves the recorded class name (Class.forName) each time.
		ValueType recorded = new ValueType() {

			@Override
			public JavaType readAs(CacheEntry entry) {
				resolved.incrementAndGet();
				return string;
			}

			@Override
			public String describe(Object value) {
				return "java.lang.String";
			}

		};
		cache.set(key, "v", Duration.ofMinutes(5), recorded);
		assertThat(cache.read(key, recorded).value()).isEqualTo("v");
		int first = resolved.get();
		for (int i = 0; i < 100; i++) {
			assertThat(cache.read(key, recorded).value()).isEqualTo("v");
		}
		assertThat(resolved.get()).as("local hits").isEqualTo(first);
		assertThat(cache.read(key, ValueType.fixed(string)).value()).as("another reader checks the type").isEqualTo("v");
	}

	@Test
	void withoutLocalTagVersionsTaggedEntriesAreReadFromRedisAndNotKeptLocallyForNothing() {
		RedisCacheService cache = cache(NEAR.withLocalTagVersions(false));
		String tagged = unique("products");
		String untagged = unique("products");
		cache.set(tagged, "v1", Duration.ofMinutes(5), "t-" + UUID.randomUUID());
		cache.set(untagged, "v2", Duration.ofMinutes(5));
		for (int i = 0; i < 3; i++) {
			assertThat(cache.get(tagged, String.class)).contains("v1");
			assertThat(cache.get(untagged, String.class)).contains("v2");
		}
		assertThat(cache.nearCacheEntries("products")).as("the untagged one only").isEqualTo(1);
	}

	@Test
	void anEntryRemovedAsUnreadableOnOneInstanceIsDroppedWhereAnotherCouldReadIt() {
		RedisCacheService unreadable = cache(NEAR);
		RedisCacheService readable = cache(NEAR);
		String key = unique("products");
		unreadable.set(key, "not a number", Duration.ofMinutes(5));
		await().atMost(Duration.ofSeconds(2)).until(() -> readable.get(key, String.class).isPresent()
				&& readable.nearCacheEntries("products") == 1);
		// Read as another type (another version of the class): removed from Redis so that a load replaces it.
		assertThat(unreadable.get(key, Integer.class)).isEmpty();
		await().atMost(Duration.ofSeconds(2)).until(() -> readable.get(key, String.class).isEmpty());
	}

	@Test
	void theLocalTierIsBoundedByItsEntries() {
		CacheSettings small = CacheSettings.DEFAULTS
			.withDefaults(CachePolicy.DEFAULTS.withNear(new NearCachePolicy(true, 10, 0, Duration.ofMinutes(5))));
		RedisCacheService cache = cache(small);
		String prefix = unique("bounded");
		for (int i = 0; i < 100; i++) {
			cache.set(prefix + i, "v" + i, Duration.ofMinutes(5));
			assertThat(cache.get(prefix + i, String.class)).contains("v" + i);
		}
		assertThat(cache.nearCacheEntries("bounded")).isBetween(1L, 10L);
	}

	@Test
	void aWriteThatBypassesTheStarterIsSeenOnceTheLocalCopyReachesItsMaximumTime() throws Exception {
		CacheSettings shortLived = CacheSettings.DEFAULTS
			.withDefaults(CachePolicy.DEFAULTS.withNear(new NearCachePolicy(true, 100, 0, Duration.ofMillis(300))));
		RedisCacheService cache = cache(shortLived);
		String key = unique("products");
		cache.set(key, "v1", Duration.ofMinutes(5));
		assertThat(cache.get(key, String.class)).contains("v1");
		new StringRedisTemplate(factory()).opsForValue().set(KEYS.key(dev.redisstarter.core.Feature.CACHE, key), "\"v2\"");
		assertThat(cache.get(key, String.class)).as("the local copy, by design").contains("v1");
		Thread.sleep(400);
		assertThat(cache.get(key, String.class)).contains("v2");
	}

	@Test
	void theLocalTierIsDroppedWhenItsNoticesSubscriptionIsLost() {
		RedisCacheService reader = cache(NEAR);
		String key = unique("products");
		reader.set(key, "v1", Duration.ofMinutes(5));
		assertThat(reader.get(key, String.class)).contains("v1");
		assertThat(reader.nearCacheEntries("products")).isPositive();
		killSubscriptions();
		// A write whose notice could be lost, made as if by an instance whose notice went out while unsubscribed.
		new StringRedisTemplate(factory()).opsForValue().set(KEYS.key(dev.redisstarter.core.Feature.CACHE, key), "\"v2\"");
		await().atMost(Duration.ofSeconds(5)).until(() -> reader.get(key, String.class).orElse(""), "v2"::equals);
		assertThat(counted(CacheMeter.NEAR_DROPS.getName(), "outcome", "lost")
				+ counted(CacheMeter.NEAR_DROPS.getName(), "outcome", "resubscribed")).isPositive();
		await().atMost(Duration.ofSeconds(10)).until(reader::nearCacheTrusted);
	}

	@Test
	void readsOverlappingWritesNeverLeaveAnOldValueBehind() throws Exception {
		RedisCacheService writer = cache(NEAR);
		RedisCacheService reader = cache(NEAR);
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			keys.add(unique("race"));
		}
		Map<String, Integer> last = new HashMap<>();
		AtomicBoolean writing = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> readers = new ArrayList<>();
			for (int t = 0; t < 6; t++) {
				readers.add(pool.submit(() -> {
					while (writing.get()) {
						for (String key : keys) {
							reader.get(key, Integer.class);
							writer.get(key, Integer.class);
						}
					}
				}));
			}
			for (int round = 0; round < 300; round++) {
				String key = keys.get(round % keys.size());
				writer.set(key, round, Duration.ofMinutes(5));
				last.put(key, round);
			}
			writing.set(false);
			for (Future<?> running : readers) {
				running.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		for (String key : keys) {
			assertThat(writer.get(key, Integer.class)).as("the writer, at once").contains(last.get(key));
			await().atMost(Duration.ofSeconds(2))
				.until(() -> reader.get(key, Integer.class).orElse(-1), last.get(key)::equals);
		}
		// And they stay: no copy of an older value arrives late.
		Thread.sleep(200);
		for (String key : keys) {
			assertThat(reader.get(key, Integer.class)).contains(last.get(key));
		}
	}

	@Test
	void getAllServesLocalCopiesAndReadsTheRestFromRedis() {
		RedisCacheService cache = cache(NEAR);
		String local = unique("products");
		String remote = unique("products");
		cache.set(local, "a", Duration.ofMinutes(5));
		cache.set(remote, "b", Duration.ofMinutes(5));
		assertThat(cache.get(local, String.class)).contains("a");
		assertThat(cache.getAll(List.of(local, remote), String.class)).containsExactlyInAnyOrderEntriesOf(
				Map.of(local, "a", remote, "b"));
	}

}
