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
				CacheAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=ca-" + UUID.randomUUID() + ":");

	@Test
	void providesACacheServiceWithTheConfiguredSettings() {
		this.runner.withPropertyValues("redis.starter.cache.null-ttl=30s", "redis.starter.cache.ttl-jitter=0.2",
				"redis.starter.cache.fail-on-redis-down=true")
			.run((context) -> {
				CacheSettings settings = context.getBean(CacheSettings.class);
				assertThat(settings.nullTtl()).isEqualTo(Duration.ofSeconds(30));
				assertThat(settings.ttlJitter()).isEqualTo(0.2);
				assertThat(settings.failOnRedisDown()).isTrue();
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
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("redis.starter.cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CacheService.class));
	}

}
