package dev.redisstarter.autoconfigure;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisSentinelConnection;

import dev.redisstarter.core.InvalidAnnotationException;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.lock.WithLock;
import dev.redisstarter.session.SessionService;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/** Configuration a user gets wrong: values that are not booleans, a prefix without separator, Jedis, locks off. */
@RealRedis
class StarterConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterLockAutoConfiguration.class, RedisStarterSessionAutoConfiguration.class,
				WithLockGuardAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=cfg-" + UUID.randomUUID() + ":");

	@Test
	void aMisspelledEnabledFlagStopsStartUpNamingThePropertyInsteadOfSwitchingTheStarterOff() {
		this.runner.withPropertyValues("redis.starter.enabled=flase")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("redis.starter.enabled"));
		this.runner.withPropertyValues("redis.starter.session.enabled=yes please")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.session.enabled"));
		this.runner.withPropertyValues("redis.starter.session.enabled=FALSE")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SessionService.class));
	}

	@Test
	void aMissingStarterBeanIsExplainedByThePropertyThatSwitchedItOff() {
		org.springframework.mock.env.MockEnvironment environment = new org.springframework.mock.env.MockEnvironment()
			.withProperty("redis.starter.session.enabled", "false");
		this.runner.withPropertyValues("redis.starter.session.enabled=false").withBean(NeedsSessions.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				org.springframework.boot.diagnostics.FailureAnalysis analysis = new MissingStarterBeanFailureAnalyzer(
						environment).analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("SessionService", "redis.starter.session.enabled is false");
				assertThat(analysis.getAction()).contains("redis.starter.session.enabled");
			});
	}

	static class NeedsSessions {

		NeedsSessions(SessionService sessions) {
		}

	}

	@Test
	void aKeyPrefixWithoutSeparatorGetsOne() {
		this.runner.withPropertyValues("redis.starter.key-prefix=shop")
			.run((context) -> assertThat(context.getBean(KeyNaming.class).prefix()).isEqualTo("shop:"));
	}

	@Test
	void withAConnectionFactoryOtherThanLettuceTheStarterBacksOff() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RedisStarterAutoConfiguration.class, RedisStarterSessionAutoConfiguration.class))
			.withBean(RedisConnectionFactory.class, NotLettuce::new)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KeyNaming.class)
				.doesNotHaveBean(SessionService.class));
	}

	@Test
	void disabledLocksWithWithLockMethodsStopStartUpUnlessRunningUnlockedIsChosen() {
		this.runner.withPropertyValues("redis.starter.lock.enabled=false")
			.withBean(Reservations.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidAnnotationException.class)
				.hasMessageContaining("Reservations.reserve")
				.hasMessageContaining("run-unlocked-when-disabled"));
		this.runner.withPropertyValues("redis.starter.enabled=false")
			.withBean(Reservations.class)
			.run((context) -> assertThat(context).hasFailed());
		this.runner.withPropertyValues("redis.starter.lock.enabled=false",
				"redis.starter.lock.run-unlocked-when-disabled=true")
			.withBean(Reservations.class)
			.run((context) -> assertThat(context).hasNotFailed());
		this.runner.withBean(Reservations.class).run((context) -> assertThat(context).hasNotFailed());
	}

	static class Reservations {

		@WithLock(key = "#sku", waitTime = "1s")
		void reserve(String sku) {
		}

	}

	/** A factory of another client (Jedis, say): the starter needs Lettuce. */
	static class NotLettuce implements RedisConnectionFactory {

		@Override
		public RedisConnection getConnection() {
			throw new UnsupportedOperationException();
		}

		@Override
		public RedisClusterConnection getClusterConnection() {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean getConvertPipelineAndTxResults() {
			return false;
		}

		@Override
		public RedisSentinelConnection getSentinelConnection() {
			throw new UnsupportedOperationException();
		}

		@Override
		public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
			return null;
		}

	}

}
