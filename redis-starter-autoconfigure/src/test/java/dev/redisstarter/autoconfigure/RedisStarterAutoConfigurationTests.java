package dev.redisstarter.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

@RealRedis
class RedisStarterAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues());

	@Test
	void backsOffWithoutARedisConnectionFactory() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RedisStarterAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(KeyNaming.class)
				.doesNotHaveBean(JsonCodec.class)
				.doesNotHaveBean(RedisStarterProperties.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("redis.starter.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(RedisConnectionFactory.class)
				.doesNotHaveBean(KeyNaming.class)
				.doesNotHaveBean(JsonCodec.class));
	}

	@Test
	void providesTheSharedBeansWhenRedisIsConfigured() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(KeyNaming.class)
			.hasSingleBean(JsonCodec.class)
			.hasSingleBean(DecodeFailureReporter.class));
	}

	@Test
	void theApplicationsOwnCommandsRunUnderTheConfiguredDeadline() {
		this.runner.withPropertyValues("redis.starter.application.timeout=250ms").run((context) -> {
			RedisCalls calls = context.getBean(RedisCalls.class);
			assertThat(calls.feature()).isEqualTo(Feature.APPLICATION);
			assertThat(calls.deadline()).isEqualTo(Duration.ofMillis(250));
			String pong = calls.call((redis) -> redis.ping());
			assertThat(pong).isEqualTo("PONG");
		});
	}

	@Test
	void aNonPositiveApplicationTimeoutFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis.starter.application.timeout=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.application.timeout"));
	}

	@Test
	void keyPrefixDefaultsFromTheApplicationName() {
		this.runner.withPropertyValues("spring.application.name=orders")
			.run((context) -> assertThat(context.getBean(KeyNaming.class).prefix()).isEqualTo("orders:"));
	}

	@Test
	void keyPrefixIsEmptyWithoutAnApplicationName() {
		this.runner.run((context) -> assertThat(context.getBean(KeyNaming.class).prefix()).isEmpty());
	}

	@Test
	void anExplicitKeyPrefixWins() {
		this.runner.withPropertyValues("spring.application.name=orders", "redis.starter.key-prefix=shop:")
			.run((context) -> assertThat(context.getBean(KeyNaming.class).prefix()).isEqualTo("shop:"));
	}

	@Test
	void anInvalidKeyPrefixFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis.starter.key-prefix=shop{1}:")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.key-prefix"));
	}

	@Test
	void anApplicationNameThatCannotBeAPrefixFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("spring.application.name=my shop")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.key-prefix")
				.hasMessageContaining("spring.application.name"));
	}

	@Test
	void usersOwnBeansWin() {
		this.runner.withUserConfiguration(OwnBeans.class).run((context) -> {
			assertThat(context.getBean(KeyNaming.class)).isSameAs(context.getBean(OwnBeans.class).keys);
			assertThat(context.getBean(JsonCodec.class)).isSameAs(context.getBean(OwnBeans.class).codec);
			assertThat(context.getBean(DecodeFailureReporter.class)).isSameAs(context.getBean(OwnBeans.class).failures);
		});
	}

	@Test
	void theCodecUsesTheApplicationsJsonMapper() {
		this.runner.withBean(JsonMapper.class,
				() -> JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build())
			.run((context) -> assertThat(context.getBean(JsonCodec.class).encodeToString(new Item("lamp", 3)))
				.isEqualTo("{\"item_name\":\"lamp\",\"in_stock\":3}"));
	}

	@Test
	void decodeFailuresAreCountedInTheApplicationsMeterRegistry() {
		this.runner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			JsonCodec codec = context.getBean(JsonCodec.class);
			assertThat(codec.decode("k:1", "{oops".getBytes(), Item.class)).isEmpty();
			assertThat(context.getBean(SimpleMeterRegistry.class).get(DecodeFailureReporter.METER_NAME).counter().count())
				.isEqualTo(1);
		});
	}

	record Item(String itemName, int inStock) {
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		final KeyNaming keys = new KeyNaming("mine:");

		final DecodeFailureReporter failures = new DecodeFailureReporter(null);

		final JsonCodec codec = new JsonCodec(JsonMapper.builder().build(), this.failures);

		@Bean
		KeyNaming keyNaming() {
			return this.keys;
		}

		@Bean
		JsonCodec jsonCodec() {
			return this.codec;
		}

		@Bean
		DecodeFailureReporter decodeFailureReporter() {
			return this.failures;
		}

	}

}
