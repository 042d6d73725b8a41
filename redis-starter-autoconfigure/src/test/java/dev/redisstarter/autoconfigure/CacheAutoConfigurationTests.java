package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

@RealRedis
class CacheAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterCacheAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=ca-" + UUID.randomUUID() + ":");

	@Test
	void providesACacheServiceWithTheConfiguredSettings() {
		this.runner.withPropertyValues("redis.starter.cache.null-ttl=30s", "redis.starter.cache.ttl-jitter=0.2",
				"redis.starter.cache.fail-on-redis-down=true", "redis.starter.cache.default-ttl=5m",
				"redis.starter.cache.caches.products.ttl=1h", "redis.starter.cache.caches.products.early-refresh=true",
				"redis.starter.cache.caches.prices.null-ttl=5s")
			.run((context) -> {
				CacheSettings settings = context.getBean(CacheSettings.class);
				assertThat(settings.defaults().nullTtl()).isEqualTo(Duration.ofSeconds(30));
				assertThat(settings.defaults().ttlJitter()).isEqualTo(0.2);
				assertThat(settings.failOnRedisDown()).isTrue();
				assertThat(settings.ttl("products", Duration.ofMinutes(1))).isEqualTo(Duration.ofHours(1));
				assertThat(settings.policy("products").earlyRefresh()).isTrue();
				assertThat(settings.policy("products").nullTtl()).isEqualTo(Duration.ofSeconds(30));
				assertThat(settings.ttl("prices", Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
				assertThat(settings.ttl("prices", null)).isEqualTo(Duration.ofMinutes(5));
				assertThat(settings.policy("prices").nullTtl()).isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.policy("other")).isEqualTo(settings.defaults());
				CacheService cache = context.getBean(CacheService.class);
				assertThat(cache.getOrLoad("k", String.class, Duration.ofMinutes(1), () -> "v")).isEqualTo("v");
				assertThat(cache.get("k", String.class)).contains("v");
			});
	}

	@Test
	void aJitterOutOfRangeFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis.starter.cache.ttl-jitter=0.9")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.cache.ttl-jitter"));
	}

	@Test
	void aCacheJitterOutOfRangeFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis.starter.cache.caches.products.ttl-jitter=2")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("ttl-jitter"));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("redis.starter.cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CacheService.class));
	}

}
