package dev.redisstarter.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cache.annotation.AnnotationCacheOperationSource;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.interceptor.CacheInterceptor;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;

import dev.redisstarter.cache.CacheAnnotationAdvisor;
import dev.redisstarter.cache.CacheAnnotationInterceptor;
import dev.redisstarter.cache.CacheAnnotationMethods;
import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.cache.RedisCacheService;
import dev.redisstarter.cache.TaggedCacheable;
import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;

/**
 * A cache hit on one 1 KB JSON value: through {@code @TaggedCacheable} (two tags), through
 * {@link CacheService#get} (the same tagged entry, and with tag versions checked in Redis on every hit),
 * through Spring's {@code @Cacheable} on Spring Data Redis's {@link RedisCacheManager} (a typed Jackson
 * serializer, so no type names), and raw Lettuce GET plus Jackson. Also writes: a tagged {@code set} against an
 * untagged one and a raw SET, to show what tags cost in round trips. Each variant shares one connection between
 * all benchmark threads, as applications do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CacheBenchmark {

	private static final String RAW_KEY = "bench:raw:product:1";

	private BenchmarkRedis redis;

	private RedisClient client;

	private StatefulRedisConnection<byte[], byte[]> lettuce;

	private JsonMapper mapper;

	private LettuceConnectionFactory starterFactory;

	private LettuceConnectionFactory strictFactory;

	private LettuceConnectionFactory springFactory;

	private RedisCacheService cache;

	private RedisCacheService strictCache;

	private StarterCatalogue starterCatalogue;

	private SpringCatalogue springCatalogue;

	private final Product product = Product.sample(1);

	private final byte[] rawKey = RAW_KEY.getBytes(StandardCharsets.UTF_8);

	private byte[] json;

	@Setup
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.mapper = JsonMapper.builder().build();
		JsonCodec codec = new JsonCodec(this.mapper, new DecodeFailureReporter(null));
		this.json = codec.encode(this.product);
		this.client = RedisClient.create(RedisURI.create(this.redis.url()));
		this.lettuce = this.client.connect(ByteArrayCodec.INSTANCE);
		this.lettuce.sync().set(this.rawKey, this.json);

		this.starterFactory = this.redis.connectionFactory();
		this.cache = new RedisCacheService(this.starterFactory, new KeyNaming("bench:"), codec, CacheSettings.DEFAULTS);
		this.strictFactory = this.redis.connectionFactory();
		this.strictCache = new RedisCacheService(this.strictFactory, new KeyNaming("bench:"), codec,
				CacheSettings.DEFAULTS.withLocalTagVersions(false));
		StarterCatalogue starterTarget = new StarterCatalogue();
		this.starterCatalogue = starterProxy(this.cache, CacheSettings.DEFAULTS, starterTarget);
		if (!this.starterCatalogue.find(1).equals(this.product)) {
			throw new IllegalStateException("The annotated method did not answer the product");
		}
		this.cache.get("products:1", Product.class).orElseThrow();

		this.springFactory = this.redis.connectionFactory();
		SpringCatalogue springTarget = new SpringCatalogue();
		this.springCatalogue = springProxy(this.springFactory, this.mapper, springTarget);
		this.springCatalogue.find(1);
		// Spring Data Redis 4 writes cache entries asynchronously with Lettuce: wait until the entry is there.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.springManager.getCache("spring-products").get(1L) == null && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		this.springCatalogue.find(1);
		this.starterCatalogue.find(1);
		if (starterTarget.loads != 1 || springTarget.loads != 1) {
			throw new IllegalStateException("Each catalogue should have loaded exactly once, not " + starterTarget.loads
					+ " and " + springTarget.loads);
		}
	}

	static StarterCatalogue starterProxy(CacheService cache, CacheSettings settings, StarterCatalogue target) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("cache", cache, "settings", settings));
		CacheAnnotationMethods methods = new CacheAnnotationMethods();
		ProxyFactory proxy = new ProxyFactory(target);
		proxy.setProxyTargetClass(true);
		proxy.addAdvisor(new CacheAnnotationAdvisor(methods, new CacheAnnotationInterceptor(methods,
				beans.getBeanProvider(CacheService.class), beans.getBeanProvider(CacheSettings.class))));
		return (StarterCatalogue) proxy.getProxy();
	}

	private RedisCacheManager springManager;

	private SpringCatalogue springProxy(LettuceConnectionFactory factory, JsonMapper mapper,
			SpringCatalogue target) {
		RedisCacheManager manager = RedisCacheManager.builder(factory)
			.cacheDefaults(RedisCacheConfiguration.defaultCacheConfig()
				.entryTtl(Duration.ofMinutes(10))
				.serializeValuesWith(SerializationPair.fromSerializer(new JacksonJsonRedisSerializer<>(mapper, Product.class))))
			.build();
		manager.afterPropertiesSet();
		this.springManager = manager;
		CacheInterceptor interceptor = new CacheInterceptor();
		interceptor.setCacheOperationSource(new AnnotationCacheOperationSource());
		interceptor.setCacheManager(manager);
		interceptor.afterPropertiesSet();
		interceptor.afterSingletonsInstantiated();
		ProxyFactory proxy = new ProxyFactory(target);
		proxy.setProxyTargetClass(true);
		proxy.addAdvice(interceptor);
		return (SpringCatalogue) proxy.getProxy();
	}

	@TearDown
	public void tearDown() {
		this.cache.close();
		this.strictCache.close();
		this.lettuce.close();
		this.client.shutdown();
		this.starterFactory.destroy();
		this.strictFactory.destroy();
		this.springFactory.destroy();
		this.redis.close();
	}

	@Benchmark
	public Product hitRawLettuceGetAndJackson() {
		return this.mapper.readValue(this.lettuce.sync().get(this.rawKey), Product.class);
	}

	@Benchmark
	public Product hitStarterCacheServiceGet() {
		return this.cache.get("products:1", Product.class).orElseThrow();
	}

	@Benchmark
	public Product hitStarterTaggedCacheable() {
		return this.starterCatalogue.find(1);
	}

	@Benchmark
	public Product hitStarterTagsCheckedInRedis() {
		return this.strictCache.get("products:1", Product.class).orElseThrow();
	}

	@Benchmark
	public Product hitSpringCacheableRedisCacheManager() {
		return this.springCatalogue.find(1);
	}

	@Benchmark
	public void setRawLettuce() {
		this.lettuce.sync().set(this.rawKey, this.json, SetArgs.Builder.px(600_000));
	}

	@Benchmark
	public void setStarterUntagged() {
		this.cache.set("written:1", this.product, Duration.ofMinutes(10));
	}

	@Benchmark
	public void setStarterTwoTags() {
		this.cache.set("written:2", this.product, Duration.ofMinutes(10), "product:2", "category:books");
	}

	/** The starter's annotated catalogue. */
	public static class StarterCatalogue {

		volatile int loads;

		@TaggedCacheable(cache = "products", key = "#id", tags = { "'product:' + #id", "'category:' + #result.category" })
		public Product find(long id) {
			loads++;
			return Product.sample(id);
		}

	}

	/** Spring's annotated catalogue. */
	public static class SpringCatalogue {

		volatile int loads;

		@Cacheable(cacheNames = "spring-products", key = "#id")
		public Product find(long id) {
			loads++;
			return Product.sample(id);
		}

	}

}
