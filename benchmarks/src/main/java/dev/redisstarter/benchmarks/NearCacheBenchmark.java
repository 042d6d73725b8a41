package dev.redisstarter.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.cache.CachePolicy;
import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.cache.NearCachePolicy;
import dev.redisstarter.cache.RedisCacheService;
import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;

/**
 * A near-cache hit on one 1 KB product: the starter's {@link RedisCacheService#get} and {@code @TaggedCacheable}
 * (two tags, checked locally) on a cache with a near cache, Redisson's {@link RLocalCachedMap#get}, and a bare
 * Caffeine {@code getIfPresent} as the ceiling of any local tier. Run at 1 and 16 threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NearCacheBenchmark {

	/** Every cache with a near cache of 10,000 entries. */
	static final CacheSettings NEAR = CacheSettings.DEFAULTS
		.withDefaults(CachePolicy.DEFAULTS.withNear(NearCachePolicy.OFF.withEnabled(true)));

	private BenchmarkRedis redis;

	private LettuceConnectionFactory factory;

	private RedisCacheService cache;

	private CacheBenchmark.StarterCatalogue catalogue;

	private RedissonClient redisson;

	private RLocalCachedMap<String, Product> redissonMap;

	private final Cache<String, Product> caffeine = Caffeine.newBuilder().maximumSize(10_000).build();

	@Setup
	public void setUp() throws InterruptedException {
		this.redis = new BenchmarkRedis();
		JsonCodec codec = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null));
		this.factory = this.redis.connectionFactory();
		this.cache = new RedisCacheService(this.factory, new KeyNaming("bench:"), codec, NEAR);
		CacheBenchmark.StarterCatalogue target = new CacheBenchmark.StarterCatalogue();
		this.catalogue = CacheBenchmark.starterProxy(this.cache, NEAR, target);
		this.cache.set("products:1", Product.sample(1), Duration.ofMinutes(30));
		this.catalogue.find(2);
		this.redisson = this.redis.redisson();
		this.redissonMap = this.redisson.getLocalCachedMap(LocalCachedMapOptions.<String, Product>name("bench-near")
			.cacheSize(10_000));
		this.redissonMap.put("products:1", Product.sample(1));
		this.caffeine.put("products:1", Product.sample(1));
		// The near cache keeps copies once its notices' subscription is up: wait until a hit is local.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!isLocal() && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		if (!isLocal()) {
			throw new IllegalStateException("The near cache did not start serving locally");
		}
		this.redissonMap.get("products:1");
	}

	private boolean isLocal() {
		this.cache.get("products:1", Product.class);
		this.catalogue.find(2);
		long before = this.redis.commandCalls("get");
		for (int i = 0; i < 10; i++) {
			this.cache.get("products:1", Product.class);
			this.catalogue.find(2);
		}
		return this.redis.commandCalls("get") == before;
	}

	@TearDown
	public void tearDown() {
		this.cache.close();
		this.redisson.shutdown();
		this.factory.destroy();
		this.redis.close();
	}

	@Benchmark
	public Product nearHitStarterCacheServiceGet() {
		return this.cache.get("products:1", Product.class).orElseThrow();
	}

	@Benchmark
	public Product nearHitStarterTaggedCacheable() {
		return this.catalogue.find(2);
	}

	@Benchmark
	public Product nearHitRedissonLocalCachedMap() {
		return this.redissonMap.get("products:1");
	}

	@Benchmark
	public Product caffeineGetIfPresent() {
		return this.caffeine.getIfPresent("products:1");
	}

}
