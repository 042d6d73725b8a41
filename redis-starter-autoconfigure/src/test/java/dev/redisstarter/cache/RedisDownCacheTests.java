package dev.redisstarter.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;

/** Redis stopped mid-run: the loader's value is served; after a restart caching resumes. */
class RedisDownCacheTests {

	@Test
	void getOrLoadServesTheLoaderWhileRedisIsDownAndCachesAgainAfterARestart() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server, Duration.ofMillis(500));
			try {
				CacheService cache = new RedisCacheService(factory, new KeyNaming(""),
						new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)), CacheSettings.DEFAULTS);
				AtomicInteger loads = new AtomicInteger();
				assertThat(cache.getOrLoad("k", String.class, Duration.ofMinutes(1), () -> "v" + loads.incrementAndGet()))
					.isEqualTo("v1");
				server.stop();
				assertThat(cache.getOrLoad("k", String.class, Duration.ofMinutes(1), () -> "v" + loads.incrementAndGet()))
					.isEqualTo("v2");
				assertThat(cache.get("k", String.class)).isEmpty();
				server.start();
				String afterRestart = null;
				long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
				while (System.nanoTime() < deadline) {
					afterRestart = cache.getOrLoad("k", String.class, Duration.ofMinutes(1), () -> "v" + loads.incrementAndGet());
					if (cache.get("k", String.class).isPresent()) {
						break;
					}
				}
				assertThat(cache.get("k", String.class)).as("cached again").contains(afterRestart);
				int before = loads.get();
				cache.getOrLoad("k", String.class, Duration.ofMinutes(1), () -> "v" + loads.incrementAndGet());
				assertThat(loads.get()).isEqualTo(before);
			}
			finally {
				factory.destroy();
			}
		}
	}

}
