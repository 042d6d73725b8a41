package dev.redisstarter.review2;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.cache.CacheMetrics;
import dev.redisstarter.cache.CachePolicy;
import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.cache.RedisCacheService;
import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@RealRedis(Topology.CLUSTER)
class Review2CacheTests {

	private static final KeyNaming KEYS = new KeyNaming("review2:");

	private static LettuceConnectionFactory factory(String host, int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(host, port);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private RedisCacheService service(RedisAccess access, CacheSettings settings) {
		access.awaitConnection(Duration.ofSeconds(10));
		RedisCacheService s = new RedisCacheService(access.calls(Feature.CACHE, Duration.ofMillis(300)), KEYS,
				new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)), settings,
				new CacheMetrics(new SimpleMeterRegistry()));
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!trusted(s) && System.nanoTime() < deadline) {
			LockSupport.parkNanos(10_000_000);
		}
		return s;
	}

	private static boolean trusted(RedisCacheService s) {
		try {
			var m = RedisCacheService.class.getDeclaredMethod("tagVersionsTrusted");
			m.setAccessible(true);
			return (Boolean) m.invoke(s);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Redis freezes during the load: the unlock in the finally fails, and the loader runs a second time. */
	@Test
	void unlockFailureAfterASuccessfulLoadRunsTheLoaderAgain() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory f = factory(server.host(), server.port());
			RedisAccess access = new RedisAccess(f, ResilienceSettings.DEFAULTS, null).start();
			RedisCacheService cache = service(access, CacheSettings.DEFAULTS);
			AtomicInteger loads = new AtomicInteger();
			try {
				String v = cache.getOrLoad("p:" + UUID.randomUUID(), String.class, Duration.ofMinutes(1), () -> {
					if (loads.incrementAndGet() == 1) {
						server.freeze();
					}
					return "v" + loads.get();
				});
				System.out.println("REVIEW2 unlock-after-success: value=" + v + " loads=" + loads.get());
			}
			finally {
				server.thaw();
				cache.close();
				access.close();
				f.destroy();
			}
			assertThat(loads.get()).as("loader ran once").isEqualTo(1);
		}
	}

	/** Same, the loader throws (DB down): with fail-on-redis-down the caller gets CacheUnavailableException. */
	@Test
	void unlockFailureMasksTheLoadersException() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory f = factory(server.host(), server.port());
			RedisAccess access = new RedisAccess(f, ResilienceSettings.DEFAULTS, null).start();
			CacheSettings failing = new CacheSettings(CachePolicy.DEFAULTS, Map.of(), Duration.ofSeconds(10),
					Duration.ofSeconds(5), Duration.ofMillis(20), true, true);
			RedisCacheService cache = service(access, failing);
			AtomicInteger loads = new AtomicInteger();
			QueryTimeoutException db = new QueryTimeoutException("database is down");
			Throwable thrown = null;
			try {
				cache.getOrLoad("p:" + UUID.randomUUID(), String.class, Duration.ofMinutes(1), () -> {
					loads.incrementAndGet();
					server.freeze();
					throw db;
				});
			}
			catch (Throwable ex) {
				thrown = ex;
			}
			finally {
				server.thaw();
				cache.close();
				access.close();
				f.destroy();
			}
			System.out.println("REVIEW2 unlock-masks: thrown=" + thrown + " loads=" + loads.get());
			assertThat(thrown).isSameAs(db);
		}
	}

	/** Coalesced callers in one JVM get the loader's exception, never a Redis failure. */
	@Test
	void coalescedCallersGetTheLoadersException() throws Exception {
		for (RedisDeployment d : List.of(SharedRedis.standalone(), SharedRedis.cluster())) {
			LettuceConnectionFactory f = ConnectionFactories.lettuce(d);
			RedisAccess access = new RedisAccess(f, ResilienceSettings.DEFAULTS, null).start();
			CacheSettings failing = new CacheSettings(CachePolicy.DEFAULTS, Map.of(), Duration.ofSeconds(10),
					Duration.ofSeconds(5), Duration.ofMillis(20), true, true);
			RedisCacheService cache = service(access, failing);
			String key = "p:" + UUID.randomUUID();
			AtomicInteger loads = new AtomicInteger();
			CountDownLatch inLoad = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(8);
			try {
				List<Future<Object>> calls = new java.util.ArrayList<>();
				for (int i = 0; i < 8; i++) {
					calls.add(pool.submit(() -> cache.getOrLoad(key, String.class, Duration.ofMinutes(1), () -> {
						loads.incrementAndGet();
						LockSupport.parkNanos(300_000_000);
						throw new QueryTimeoutException("database is down");
					})));
				}
				for (Future<Object> c : calls) {
					assertThatThrownBy(c::get).hasCauseInstanceOf(QueryTimeoutException.class);
				}
				assertThat(loads.get()).isEqualTo(1);
			}
			finally {
				pool.shutdownNow();
				cache.close();
				access.close();
				f.destroy();
			}
		}
	}

	/**
	 * The too-slow check is made before the tags are computed, the value encoded and the write sent: a delay there
	 * (GC, a large value, a slow write) lets the invalidation record expire and the stale value be cached.
	 */
	@Test
	void delayAfterTheTooSlowCheckCachesAStaleValue() throws Exception {
		for (RedisDeployment d : List.of(SharedRedis.standalone(), SharedRedis.cluster())) {
			LettuceConnectionFactory f1 = ConnectionFactories.lettuce(d);
			LettuceConnectionFactory f2 = ConnectionFactories.lettuce(d);
			RedisAccess a1 = new RedisAccess(f1, ResilienceSettings.DEFAULTS, null).start();
			RedisAccess a2 = new RedisAccess(f2, ResilienceSettings.DEFAULTS, null).start();
			CacheSettings shortLoads = new CacheSettings(CachePolicy.DEFAULTS, Map.of(), Duration.ofMillis(500),
					Duration.ofSeconds(5), Duration.ofMillis(20), false, true);
			RedisCacheService loader = service(a1, shortLoads);
			RedisCacheService writer = service(a2, shortLoads);
			String key = "p:" + UUID.randomUUID();
			String tag = "t:" + UUID.randomUUID();
			try {
				String got = loader.getOrLoad(key, String.class, Duration.ofMinutes(5), () -> {
					writer.invalidateTags(tag);
					LockSupport.parkNanos(Duration.ofMillis(380).toNanos());
					return "old";
				}, (value) -> {
					LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
					return List.of(tag);
				}, (value) -> true);
				System.out.println("REVIEW2 too-slow " + d + ": served " + got + ", then cached: "
						+ writer.get(key, String.class));
				assertThat(writer.get(key, String.class)).as("stale value cached").isEmpty();
			}
			finally {
				loader.close();
				writer.close();
				a1.close();
				a2.close();
				f1.destroy();
				f2.destroy();
			}
		}
	}

}
