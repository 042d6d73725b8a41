package dev.redisstarter.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.RedisSentinelGroup;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;

/** The master of a Sentinel group stops: the cache keeps answering, and invalidations still reach everyone. */
class SentinelFailoverCacheTests {

	@Test
	void afterAFailoverTheCacheServesAndInvalidationsStillReachEveryInstance() {
		List<LettuceConnectionFactory> factories = new ArrayList<>();
		List<RedisCacheService> caches = new ArrayList<>();
		try (RedisSentinelGroup group = RedisSentinelGroup.create().start()) {
			for (int i = 0; i < 2; i++) {
				LettuceConnectionFactory factory = ConnectionFactories.lettuce(group);
				factories.add(factory);
				caches.add(new RedisCacheService(factory, new KeyNaming("failover:"),
						new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)), CacheSettings.DEFAULTS));
			}
			RedisCacheService writer = caches.get(0);
			RedisCacheService reader = caches.get(1);
			String tag = "t-" + UUID.randomUUID();
			writer.set("k1", "v", Duration.ofMinutes(5), tag);
			assertThat(reader.get("k1", String.class)).contains("v");
			assertThat(reader.get("k1", String.class)).contains("v");

			group.stopMaster();
			AtomicInteger loads = new AtomicInteger();
			assertThat(reader.getOrLoad("k2", String.class, Duration.ofMinutes(5), () -> "loaded" + loads.incrementAndGet()))
				.as("answered while the master is gone").startsWith("loaded");
			group.awaitFailover(Duration.ofSeconds(30));

			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (reader.get("k3", String.class).isEmpty() && System.nanoTime() < deadline) {
				writer.set("k3", "w", Duration.ofMinutes(5), tag);
			}
			assertThat(reader.get("k3", String.class)).as("caching through the promoted replica").contains("w");

			writer.invalidateTags(tag);
			long noticed = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (reader.get("k3", String.class).isPresent() && System.nanoTime() < noticed) {
				Thread.onSpinWait();
			}
			assertThat(reader.get("k3", String.class)).isEmpty();
			assertThat(reader.get("k1", String.class)).isEmpty();
		}
		finally {
			caches.forEach(RedisCacheService::close);
			factories.forEach(LettuceConnectionFactory::destroy);
		}
	}

}
