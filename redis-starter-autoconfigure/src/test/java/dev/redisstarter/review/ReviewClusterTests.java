package dev.redisstarter.review;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

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
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.spring.ConnectionFactories;

class ReviewClusterTests {

	@Test
	void oneMasterDown() throws Exception {
		for (int i = 0; i < 3; i++) {
			try (RedisCluster cluster = RedisCluster.threeMasters().start()) {
				for (LocalRedisServer m : cluster.masters()) {
					m.command("CONFIG", "SET", "cluster-require-full-coverage", "no");
				}
				LettuceConnectionFactory factory = ConnectionFactories.lettuce(cluster);
				SimpleMeterRegistry meters = new SimpleMeterRegistry();
				RedisAccess access = new RedisAccess(factory, ResilienceSettings.DEFAULTS, meters).start();
				access.awaitConnection(Duration.ofSeconds(10));
				JsonCodec codec = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(meters));
				RedisCacheService cache = new RedisCacheService(access.calls(Feature.CACHE, Duration.ofMillis(300)),
						new KeyNaming("rv:"), codec, CacheSettings.DEFAULTS, new CacheMetrics(meters));
				dev.redisstarter.core.RedisCalls calls = access.calls(Feature.CACHE, Duration.ofMillis(300));
				try {
					for (int k = 0; k < 60; k++) {
						cache.set("k:" + k, "v", Duration.ofMinutes(5));
					}
					cluster.masters().get(i).stop();
					Thread.sleep(500);
					Map<String, Integer> outcomes = new TreeMap<>();
					long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
					int ok = 0, total = 0;
					while (System.nanoTime() < end) {
						for (int k = 0; k < 60; k++) {
							total++;
							try {
								byte[] key = ("k:" + k).getBytes();
								calls.call((redis) -> redis.set(key, key));
								ok++;
							}
							catch (RuntimeException ex) {
								String m = ex.getClass().getSimpleName() + ": " + String.valueOf(ex.getMessage());
								outcomes.merge(m.substring(0, Math.min(110, m.length())), 1, Integer::sum);
							}
						}
					}
					System.out.println("RV master " + i + " down: ok " + ok + "/" + total + ", circuit openings "
							+ access.circuit().openings() + ", connected " + access.isConnected());
					outcomes.forEach((m, n) -> System.out.println("RV    " + n + " x " + m));
				}
				finally {
					cache.close();
					access.close();
					factory.destroy();
				}
			}
		}
	}

}
