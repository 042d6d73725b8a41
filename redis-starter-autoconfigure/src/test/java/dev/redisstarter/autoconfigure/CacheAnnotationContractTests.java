package dev.redisstarter.autoconfigure;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.cache.EvictTags;
import dev.redisstarter.cache.TaggedCacheable;
import dev.redisstarter.cache.CacheMetrics;
import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.test.RedisDeployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The cache annotations in an application context, run against each topology by a subclass. */
abstract class CacheAnnotationContractTests {

	private final String prefix = "ann-" + UUID.randomUUID() + ":";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class))
		.withPropertyValues(deployment().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=" + this.prefix)
		.withBean(SimpleMeterRegistry.class)
		.withUserConfiguration(CatalogueConfiguration.class);

	abstract RedisDeployment deployment();

	record Price(BigDecimal amount, String currency) {
	}

	record Product(long id, String name, String category) {
	}

	@Test
	void aCachedMethodRunsOnceAndHitsReadTheGenericReturnType() {
		this.runner.run((context) -> {
			Catalogue catalogue = context.getBean(Catalogue.class);
			assertThat(AopUtils.isAopProxy(catalogue)).isTrue();
			assertThat(catalogue.find(1)).isEqualTo(new Product(1, "p1", "home"));
			assertThat(catalogue.find(1)).isEqualTo(new Product(1, "p1", "home"));
			assertThat(catalogue.byCategory("home")).containsExactly(new Product(1, "p1", "home"), new Product(2, "p2", "home"));
			assertThat(catalogue.byCategory("home")).element(0).isInstanceOf(Product.class);
			assertThat(catalogue.lookup(3)).contains(new Product(3, "p3", "home"));
			assertThat(catalogue.lookup(3)).contains(new Product(3, "p3", "home"));
			assertThat(catalogue.lookup(-1)).isEmpty();
			assertThat(catalogue.lookup(-1)).isEmpty();
			assertThat(catalogue.prices(1)).containsEntry("EUR", new Price(new BigDecimal("9.50"), "EUR"));
			assertThat(catalogue.prices(1).get("EUR")).isInstanceOf(Price.class);
			assertThat(catalogue.calls()).isEqualTo(5);
		});
	}

	@Test
	void evictTagsInvalidatesByAnArgumentTagAndByATagTakenFromTheResult() {
		this.runner.run((context) -> {
			Catalogue catalogue = context.getBean(Catalogue.class);
			catalogue.find(1);
			catalogue.find(2);
			catalogue.rename(1);
			catalogue.find(1);
			catalogue.find(2);
			assertThat(catalogue.calls()).as("only product 1 reloaded").isEqualTo(3);
			catalogue.renameCategory("home");
			catalogue.find(1);
			catalogue.find(2);
			assertThat(catalogue.calls()).as("both carried the category tag taken from #result").isEqualTo(5);
		});
	}

	@Test
	void conditionAndUnlessKeepValuesOutOfTheCache() {
		this.runner.run((context) -> {
			Catalogue catalogue = context.getBean(Catalogue.class);
			catalogue.guarded(0);
			catalogue.guarded(0);
			assertThat(catalogue.calls()).as("condition false: not cached").isEqualTo(2);
			catalogue.guarded(7);
			catalogue.guarded(7);
			assertThat(catalogue.calls()).as("cached").isEqualTo(3);
			catalogue.guarded(99);
			catalogue.guarded(99);
			assertThat(catalogue.calls()).as("unless true: not cached").isEqualTo(5);
		});
	}

	@Test
	void theMethodsOwnExceptionPassesThroughAndNothingIsCached() {
		this.runner.run((context) -> {
			Catalogue catalogue = context.getBean(Catalogue.class);
			assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> catalogue.failing(1)).withMessage("down");
			assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> catalogue.failing(1));
		});
	}

	@Test
	void aCorruptValueIsAMissIsReplacedAndIsCounted() {
		this.runner.run((context) -> {
			Catalogue catalogue = context.getBean(Catalogue.class);
			StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
			assertThat(catalogue.find(5)).isEqualTo(new Product(5, "p5", "home"));
			String entryKey = this.prefix + "cache:products:5";
			assertThat(redis.hasKey(entryKey)).isTrue();
			redis.opsForValue().set(entryKey, "{not json", Duration.ofMinutes(1));
			assertThat(catalogue.find(5)).isEqualTo(new Product(5, "p5", "home"));
			assertThat(catalogue.calls()).as("the corrupt value was a miss").isEqualTo(2);
			assertThat(catalogue.find(5)).isEqualTo(new Product(5, "p5", "home"));
			assertThat(catalogue.calls()).as("and was replaced").isEqualTo(2);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get(DecodeFailureReporter.METER_NAME).counter().count()).isEqualTo(1);
			assertThat(meters.get(CacheMetrics.GETS).tag("cache", "products").tag("outcome", "corrupt").counter().count())
				.isEqualTo(1);
		});
	}

	@Test
	void yamlTimeToLiveOfACacheWinsOverTheAnnotations() {
		this.runner.withPropertyValues("redis.starter.cache.caches.prices.ttl=3h", "redis.starter.cache.ttl-jitter=0")
			.run((context) -> {
				Catalogue catalogue = context.getBean(Catalogue.class);
				StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
				catalogue.prices(1);
				catalogue.find(1);
				assertThat(redis.getExpire(this.prefix + "cache:prices:1", TimeUnit.MINUTES)).isBetween(170L, 180L);
				assertThat(redis.getExpire(this.prefix + "cache:products:1", TimeUnit.MINUTES))
					.as("default-ttl").isBetween(9L, 10L);
			});
	}

	@Test
	void anExpressionThatDoesNotParseFailsStartUpNamingTheMethod() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
					RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class))
			.withPropertyValues(deployment().propertyValues())
			.withBean(BadTags.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid @TaggedCacheable on")
				.hasStackTraceContaining("BadTags.find"));
	}

	static class Catalogue {

		private final AtomicInteger calls = new AtomicInteger();

		int calls() {
			return this.calls.get();
		}

		@TaggedCacheable(cache = "products", key = "#id", tags = { "'product:' + #id", "'category:' + #result.category" })
		Product find(long id) {
			this.calls.incrementAndGet();
			return new Product(id, "p" + id, "home");
		}

		@TaggedCacheable(cache = "categories", key = "#category", tags = "'category:' + #category")
		List<Product> byCategory(String category) {
			this.calls.incrementAndGet();
			return List.of(new Product(1, "p1", category), new Product(2, "p2", category));
		}

		@TaggedCacheable(cache = "lookups", key = "#id")
		Optional<Product> lookup(long id) {
			this.calls.incrementAndGet();
			return (id > 0) ? Optional.of(new Product(id, "p" + id, "home")) : Optional.empty();
		}

		@TaggedCacheable(cache = "prices", key = "#id", ttl = "1m")
		Map<String, Price> prices(long id) {
			this.calls.incrementAndGet();
			return Map.of("EUR", new Price(new BigDecimal("9.50"), "EUR"));
		}

		@TaggedCacheable(cache = "guarded", key = "#id", condition = "#id > 0", unless = "#result > 50")
		Long guarded(long id) {
			this.calls.incrementAndGet();
			return id;
		}

		@TaggedCacheable(cache = "failing", key = "#id")
		String failing(long id) throws java.io.IOException {
			throw new java.io.IOException("down");
		}

		@EvictTags("'product:' + #id")
		void rename(long id) {
		}

		@EvictTags("'category:' + #category")
		void renameCategory(String category) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CatalogueConfiguration {

		@Bean
		Catalogue catalogue() {
			return new Catalogue();
		}

	}

	static class BadTags {

		@TaggedCacheable(cache = "x", key = "#id", tags = "'a' +")
		String find(long id) {
			return "x";
		}

	}

}
