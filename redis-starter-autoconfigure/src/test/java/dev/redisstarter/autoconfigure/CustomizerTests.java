package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.lock.LockSettings;
import dev.redisstarter.messaging.RetryBackoff;
import dev.redisstarter.messaging.queue.QueueSettingsByName;
import dev.redisstarter.messaging.stream.StreamSettingsByName;
import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimitPolicies;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each {@code ...Customizer} bean changes the settings the auto-configuration built from properties, keeps what it
 * does not change, and several are applied in {@code @Order} order.
 */
@RealRedis
class CustomizerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterCacheAutoConfiguration.class,
				RedisStarterLockAutoConfiguration.class, RedisStarterRateLimitAutoConfiguration.class,
				RedisStarterStreamsAutoConfiguration.class, RedisStarterQueueAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=cz-" + UUID.randomUUID() + ":");

	@Test
	void aCacheSettingsCustomizerChangesTheDefaultPolicyAndKeepsTheConfiguredCaches() {
		this.runner
			.withPropertyValues("redis.starter.cache.default-ttl=10m", "redis.starter.cache.caches.products.ttl=1m")
			.withBean(CacheSettingsCustomizer.class,
					() -> (settings) -> settings.withDefaults(settings.defaults().withTtlJitter(0.3)))
			.run((context) -> {
				CacheSettings settings = context.getBean(CacheSettings.class);
				assertThat(settings.defaults().ttlJitter()).isEqualTo(0.3);
				assertThat(settings.defaults().ttl()).isEqualTo(Duration.ofMinutes(10));
				assertThat(settings.policy("products").ttl()).isEqualTo(Duration.ofMinutes(1));
			});
	}

	@Test
	void aLockSettingsCustomizerChangesTheDefaultLease() {
		this.runner.withPropertyValues("redis.starter.lock.default-wait=2s")
			.withBean(LockSettingsCustomizer.class, () -> (settings) -> settings.withDefaultLease(Duration.ofMinutes(2)))
			.run((context) -> {
				LockSettings settings = context.getBean(LockSettings.class);
				assertThat(settings.defaultLease()).isEqualTo(Duration.ofMinutes(2));
				assertThat(settings.defaultWait()).isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void aRateLimitPoliciesCustomizerAddsAPolicyBesideTheConfiguredOnes() {
		this.runner
			.withPropertyValues("redis.starter.ratelimit.policies.api.algorithm=fixed-window",
					"redis.starter.ratelimit.policies.api.limit=10", "redis.starter.ratelimit.policies.api.window=1m")
			.withBean(RateLimitPoliciesCustomizer.class,
					() -> (policies) -> policies.with("login", RateLimit.slidingWindow(5, Duration.ofMinutes(1))))
			.run((context) -> {
				RateLimitPolicies policies = context.getBean(RateLimitPolicies.class);
				assertThat(policies.get("login")).singleElement().satisfies((limit) -> {
					assertThat(limit.limit()).isEqualTo(5);
					assertThat(limit.window()).isEqualTo(Duration.ofMinutes(1));
				});
				assertThat(policies.get("api")).singleElement().satisfies((limit) -> assertThat(limit.limit()).isEqualTo(10));
			});
	}

	@Test
	void aStreamSettingsCustomizerChangesOneStreamsDeliveries() {
		this.runner.withPropertyValues("redis.starter.stream.named.orders.max-length=500")
			.withBean(StreamSettingsCustomizer.class,
					() -> (settings) -> settings.withNamed("orders", settings.apply("orders").withMaxDeliveries(2)))
			.run((context) -> {
				StreamSettingsByName settings = context.getBean(StreamSettingsByName.class);
				assertThat(settings.apply("orders").maxDeliveries()).isEqualTo(2);
				assertThat(settings.apply("orders").maxLength()).isEqualTo(500);
				assertThat(settings.apply("other").maxDeliveries()).isEqualTo(5);
			});
	}

	@Test
	void aQueueSettingsCustomizerChangesTheDefaultsAndOneQueue() {
		this.runner.withPropertyValues("redis.starter.queue.named.emails.concurrency=4")
			.withBean(QueueSettingsCustomizer.class,
					() -> (settings) -> settings.withDefaults(settings.defaults().withAttempts(7))
						.withNamed("emails", settings.of("emails").withBackoff(RetryBackoff.fixed(Duration.ofSeconds(3)))))
			.run((context) -> {
				QueueSettingsByName settings = context.getBean(QueueSettingsByName.class);
				assertThat(settings.of("other").attempts()).isEqualTo(7);
				assertThat(settings.of("emails").backoff()).isEqualTo(RetryBackoff.fixed(Duration.ofSeconds(3)));
				assertThat(settings.of("emails").concurrency()).isEqualTo(4);
			});
	}

	@Test
	void customizersAreAppliedInOrderEachSeeingTheOneBefore() {
		this.runner.withUserConfiguration(OrderedLockCustomizers.class).run((context) -> {
			LockSettings settings = context.getBean(LockSettings.class);
			// The second doubles what the first set.
			assertThat(settings.defaultLease()).isEqualTo(Duration.ofMinutes(2));
		});
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class OrderedLockCustomizers {

		// Declared in the reverse of their order, so that declaration order cannot pass the test.
		@org.springframework.context.annotation.Bean
		@Order(2)
		LockSettingsCustomizer doubleTheLease() {
			return (settings) -> settings.withDefaultLease(settings.defaultLease().multipliedBy(2));
		}

		@org.springframework.context.annotation.Bean
		@Order(1)
		LockSettingsCustomizer oneMinuteLease() {
			return (settings) -> settings.withDefaultLease(Duration.ofMinutes(1));
		}

	}

}
