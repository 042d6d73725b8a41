package dev.redisstarter.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterCacheAutoConfiguration;
import dev.redisstarter.cache.CacheService;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Cache calls that carry several key parts, one of them over {@code redis.starter.max-key-part-length}, are refused
 * before anything is written, in Redis or (for {@code writeThrough}) in the system of record.
 */
@RealRedis
class NothingWrittenOverABoundTests {

	private final String prefix = "pwr-" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=" + this.prefix, "redis.starter.max-key-part-length=64");

	private static final String OVERSIZED = "secret-part-" + "x".repeat(60);

	@Test
	void aSetOfSeveralEntriesWithOneKeyOverTheBoundWritesNone() {
		this.runner.run((context) -> {
			CacheService cache = context.getBean(CacheService.class);
			Map<String, Object> entries = new LinkedHashMap<>();
			for (int i = 0; i < 20; i++) {
				entries.put("ok-" + i, "v");
			}
			entries.put(OVERSIZED, "v");
			Throwable refused = catchThrowable(() -> cache.setAll(entries, Duration.ofMinutes(1)));
			assertThat(refused).isInstanceOf(InputLimitExceededException.class);
			assertThat(keys(context)).as("written before the refusal").isEmpty();
		});
	}

	@Test
	void aWriteThroughWithATagOverTheBoundDoesNotStoreNorCache() {
		this.runner.run((context) -> {
			CacheService cache = context.getBean(CacheService.class);
			AtomicInteger stored = new AtomicInteger();
			Throwable refused = catchThrowable(() -> cache.writeThrough("wt", "v", Duration.ofMinutes(1),
					(value) -> stored.incrementAndGet(), "ok-tag", OVERSIZED));
			assertThat(refused).isInstanceOf(InputLimitExceededException.class);
			assertThat(stored).as("the system of record is not written when the caller is told 413").hasValue(0);
			assertThat(keys(context)).isEmpty();
		});
	}

	@Test
	void anInvalidationOfSeveralTagsWithOneOverTheBoundInvalidatesNone() {
		this.runner.run((context) -> {
			CacheService cache = context.getBean(CacheService.class);
			cache.set("tagged", "v", Duration.ofMinutes(1), "ok-tag");
			Throwable refused = catchThrowable(() -> cache.invalidateTags("ok-tag", OVERSIZED));
			assertThat(refused).isInstanceOf(InputLimitExceededException.class);
			assertThat(cache.get("tagged", String.class)).as("invalidated before the refusal").contains("v");
		});
	}

	@Test
	void aDeleteOfSeveralKeysWithOneOverTheBoundDeletesNone() {
		this.runner.run((context) -> {
			CacheService cache = context.getBean(CacheService.class);
			cache.set("kept", "v", Duration.ofMinutes(1));
			Throwable refused = catchThrowable(() -> cache.delete("kept", OVERSIZED));
			assertThat(refused).isInstanceOf(InputLimitExceededException.class);
			assertThat(cache.get("kept", String.class)).as("deleted before the refusal").contains("v");
		});
	}

	private List<String> keys(ConfigurableApplicationContext context) {
		StringRedisTemplate redis = new StringRedisTemplate(
				context.getBean(org.springframework.data.redis.connection.RedisConnectionFactory.class));
		List<String> found = new ArrayList<>();
		try (var cursor = redis.scan(ScanOptions.scanOptions().match(this.prefix + "cache:*").count(1000).build())) {
			cursor.forEachRemaining(found::add);
		}
		return found;
	}

}
