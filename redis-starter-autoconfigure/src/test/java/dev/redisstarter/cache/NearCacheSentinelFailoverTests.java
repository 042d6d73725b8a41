package dev.redisstarter.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.RedisSentinelGroup;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Sentinel group fails over while its old master stays up (turned into a replica): an instance holding a
 * near-cached copy does not keep serving it after another instance writes through the new master.
 */
class NearCacheSentinelFailoverTests {

	@Test
	void aCopyHeldAcrossAFailoverIsDroppedWhenTheNewMasterIsWritten() {
		List<LettuceConnectionFactory> factories = new ArrayList<>();
		List<RedisCacheService> caches = new ArrayList<>();
		try (RedisSentinelGroup group = RedisSentinelGroup.create().start()) {
			for (int i = 0; i < 2; i++) {
				LettuceConnectionFactory factory = ConnectionFactories.lettuce(group);
				factories.add(factory);
				RedisCacheService cache = new RedisCacheService(factory, new KeyNaming("nearfailover:"),
						new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)), NearCacheContractTests.NEAR);
				caches.add(cache);
				await().atMost(Duration.ofSeconds(10)).until(cache::nearCacheTrusted);
			}
			RedisCacheService writer = caches.get(0);
			RedisCacheService reader = caches.get(1);
			writer.set("product:1", "v1", Duration.ofMinutes(5));
			await().atMost(Duration.ofSeconds(2)).until(() -> reader.get("product:1", String.class).isPresent()
					&& reader.nearCacheEntries("product") == 1);

			group.failover(Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
				writer.set("product:1", "v2", Duration.ofMinutes(5));
				return writer.get("product:1", String.class).orElse("").equals("v2");
			});
			await().atMost(Duration.ofSeconds(10))
				.until(() -> reader.get("product:1", String.class).orElse(""), "v2"::equals);
		}
		finally {
			caches.forEach(RedisCacheService::close);
			factories.forEach(LettuceConnectionFactory::destroy);
		}
	}

}
