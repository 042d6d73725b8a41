package dev.redisstarter.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.core.health.RedisStarterHealthIndicator;
import dev.redisstarter.messaging.queue.actuate.JobQueuesHealthIndicator;
import dev.redisstarter.messaging.stream.actuate.StreamsHealthIndicator;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's health contributors obey Spring Boot's switches, {@code management.health.<name>.enabled} and
 * {@code management.health.defaults.enabled}, as Boot's own contributors do.
 */
class HealthSwitchTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterHealthAutoConfiguration.class, RedisStarterRateLimitAutoConfiguration.class,
				RedisStarterQueueAutoConfiguration.class, RedisStarterStreamsAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues());

	@Test
	void everyContributorIsThereByDefault() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(RedisStarterHealthIndicator.class)
			.hasSingleBean(JobQueuesHealthIndicator.class)
			.hasSingleBean(StreamsHealthIndicator.class));
	}

	@Test
	void eachContributorHasItsOwnSwitch() {
		this.runner.withPropertyValues("management.health.redis.enabled=false").run((context) -> assertThat(context)
			.doesNotHaveBean(RedisStarterHealthIndicator.class)
			.hasSingleBean(JobQueuesHealthIndicator.class)
			.hasSingleBean(StreamsHealthIndicator.class));
		this.runner.withPropertyValues("management.health.jobqueues.enabled=false").run((context) -> assertThat(context)
			.hasSingleBean(RedisStarterHealthIndicator.class)
			.doesNotHaveBean(JobQueuesHealthIndicator.class)
			.hasSingleBean(StreamsHealthIndicator.class));
		this.runner.withPropertyValues("management.health.streams.enabled=false").run((context) -> assertThat(context)
			.hasSingleBean(RedisStarterHealthIndicator.class)
			.hasSingleBean(JobQueuesHealthIndicator.class)
			.doesNotHaveBean(StreamsHealthIndicator.class));
	}

	@Test
	void theDefaultsSwitchTurnsThemAllOffAndOneBackOn() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false", "management.health.streams.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisStarterHealthIndicator.class)
				.doesNotHaveBean(JobQueuesHealthIndicator.class)
				.hasSingleBean(StreamsHealthIndicator.class));
	}

}
