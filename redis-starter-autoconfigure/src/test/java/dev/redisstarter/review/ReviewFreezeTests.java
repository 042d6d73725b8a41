package dev.redisstarter.review;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.cache.CacheMetrics;
import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.cache.RedisCacheService;
import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.lock.LockMetrics;
import dev.redisstarter.lock.LockSettings;
import dev.redisstarter.lock.RedisDistributedLock;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

class ReviewFreezeTests {

	static long threads(String prefix) {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.isAlive() && t.getName().startsWith(prefix)).count();
	}

	@Test
	void patternInvalidationAndLongFreeze() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server);
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = new RedisAccess(factory, ResilienceSettings.DEFAULTS, meters).start();
			access.awaitConnection(Duration.ofSeconds(10));
			KeyNaming keys = new KeyNaming("rv:");
			JsonCodec codec = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(meters));
			RedisCacheService cache = new RedisCacheService(access.calls(Feature.CACHE, Duration.ofMillis(300)), keys, codec,
					CacheSettings.DEFAULTS, new CacheMetrics(meters));
			RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofMillis(500)), keys,
					LockSettings.DEFAULTS, new LockMetrics(meters));
			try {
				cache.set("p:1", "v", Duration.ofMinutes(1));
				Thread.sleep(1500);
				server.freeze();
				long t0 = System.nanoTime();
				CompletableFuture<Object> pattern = CompletableFuture.supplyAsync(() -> {
					try {
						return cache.invalidatePattern("p:*");
					}
					catch (RuntimeException ex) {
						return ex;
					}
				}, (r) -> new Thread(r).start());
				try {
					Object r = pattern.get(5, TimeUnit.SECONDS);
					System.out.println("RV invalidatePattern answered after " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + r);
				}
				catch (java.util.concurrent.TimeoutException ex) {
					System.out.println("RV invalidatePattern still blocked after 5 s (circuit " + access.circuit() + ")");
				}
				for (int i = 0; i < 5; i++) {
					try { cache.get("p:1", String.class); } catch (RuntimeException ex) { }
				}
				System.out.println("RV circuit after cache gets: " + access.circuit());
				for (int s = 0; s <= 30; s += 5) {
					System.out.println("RV t=" + s + "s connect threads " + threads("redis-starter-connect") + " subscribe threads "
							+ threads("redis-starter-subscribe") + " all threads " + Thread.activeCount());
					Thread.sleep(5000);
				}
				server.thaw();
				long thawed = System.nanoTime();
				long firstOk = -1;
				int fails = 0;
				int okAfterFirst = 0, failAfterFirst = 0;
				long openingsBefore = access.circuit().openings();
				long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
				while (System.nanoTime() < end) {
					boolean ok;
					try {
						cache.set("p:2", "v", Duration.ofMinutes(1));
						ok = true;
					}
					catch (RuntimeException ex) {
						ok = false;
					}
					if (ok && firstOk < 0) firstOk = System.nanoTime() - thawed;
					if (firstOk >= 0) { if (ok) okAfterFirst++; else failAfterFirst++; }
					Thread.sleep(2);
				}
				System.out.println("RV after thaw: first success at " + firstOk / 1_000_000 + " ms; after it ok " + okAfterFirst
						+ " failed " + failAfterFirst + "; circuit openings during recovery " + (access.circuit().openings() - openingsBefore)
						+ "; connect threads " + threads("redis-starter-connect") + "; pattern done " + pattern.isDone());
				System.out.println("RV clients on server: " + String.valueOf(server.command("CLIENT", "LIST")).split("\n").length);
				Object r = pattern.get(70, TimeUnit.SECONDS);
				System.out.println("RV invalidatePattern finally answered after " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + r);
			}
			finally {
				server.thaw();
				lock.close();
				cache.close();
				access.close();
				factory.destroy();
			}
		}
	}

}
