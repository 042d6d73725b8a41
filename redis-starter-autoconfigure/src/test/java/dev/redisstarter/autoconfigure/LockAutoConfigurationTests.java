package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.lock.FencingToken;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.lock.LockNotAcquiredException;
import dev.redisstarter.lock.LockSettings;
import dev.redisstarter.lock.RedisDistributedLock;
import dev.redisstarter.lock.WithLock;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@RealRedis
class LockAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterLockAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=lk-" + UUID.randomUUID() + ":");

	@Test
	void withLockRunsTheMethodUnderTheLockAndHandsItTheFencingToken() {
		this.runner.withUserConfiguration(OrdersConfiguration.class).run((context) -> {
			Orders orders = context.getBean(Orders.class);
			assertThat(AopUtils.isAopProxy(orders)).isTrue();
			long first = orders.ship("o-1", null);
			long second = orders.ship("o-1", null);
			assertThat(second).isGreaterThan(first).isPositive();
			DistributedLock lock = context.getBean(DistributedLock.class);
			assertThat(lock.tryAcquire("order:o-1", Duration.ZERO)).as("released after the method").isPresent();
		});
	}

	@Test
	void nestedWithLockCallsOnTheSameNameReenter() {
		this.runner.withUserConfiguration(OrdersConfiguration.class).run((context) -> {
			Orders orders = context.getBean(Orders.class);
			assertThat(orders.shipTwice("o-2")).hasSize(2).satisfies((tokens) -> assertThat(tokens.get(0)).isEqualTo(tokens.get(1)));
		});
	}

	@Test
	void withLockThrowsWhenTheLockIsHeldElsewhere() {
		this.runner.withUserConfiguration(OrdersConfiguration.class).run((context) -> {
			DistributedLock lock = context.getBean(DistributedLock.class);
			try (LockLease held = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> lock.tryAcquire("order:o-3", Duration.ZERO, Duration.ofSeconds(10)).orElseThrow())
				.get()) {
				assertThatExceptionOfType(LockNotAcquiredException.class)
					.isThrownBy(() -> context.getBean(Orders.class).ship("o-3", null))
					.satisfies((ex) -> assertThat(ex.getLockName()).isEqualTo("order:o-3"));
				assertThat(context.getBean(Orders.class).calls()).isEmpty();
			}
		});
	}

	@Test
	void propertiesBecomeTheLockSettings() {
		this.runner
			.withPropertyValues("redis.starter.lock.default-lease=10s", "redis.starter.lock.default-wait=250ms",
					"redis.starter.lock.renewal=false", "redis.starter.lock.poll-interval=2s")
			.run((context) -> assertThat(context.getBean(LockSettings.class))
				.isEqualTo(new LockSettings(Duration.ofSeconds(10), Duration.ofMillis(250), false, Duration.ofSeconds(2))));
	}

	@Test
	void aNonPositivePollIntervalFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis.starter.lock.poll-interval=0ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.lock.poll-interval"));
	}

	@Test
	void aKeyThatDoesNotParseFailsStartUpNamingTheMethod() {
		this.runner.withUserConfiguration(BadKeyConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid @WithLock on")
				.hasStackTraceContaining("BadKey.run"));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("redis.starter.lock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DistributedLock.class));
		this.runner.run((context) -> assertThat(context).hasSingleBean(RedisDistributedLock.class));
	}

	static class Orders {

		final List<String> calls = new ArrayList<>();

		private final ObjectProvider<Orders> self;

		Orders(ObjectProvider<Orders> self) {
			this.self = self;
		}

		List<String> calls() {
			return this.calls;
		}

		@WithLock(key = "'order:' + #id", waitTime = "200ms")
		long ship(String id, FencingToken token) {
			this.calls.add(id);
			return token.value();
		}

		@WithLock(key = "'order:' + #id")
		List<Long> shipTwice(String id) {
			return List.of(this.self.getObject().ship(id, null), this.self.getObject().ship(id, null));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersConfiguration {

		@Bean
		Orders orders(@Lazy ObjectProvider<Orders> self) {
			return new Orders(self);
		}

	}

	static class BadKey {

		@WithLock(key = "'x' +")
		void run() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadKeyConfiguration {

		@Bean
		BadKey badKey() {
			return new BadKey();
		}

	}

}
