package dev.redisstarter.autoconfigure;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ResolvableType;
import org.springframework.mock.env.MockEnvironment;

import dev.redisstarter.lock.WithLock;
import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.stream.StreamListener;
import dev.redisstarter.ratelimit.RateLimited;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "APPLICATION FAILED TO START" reports for the starter's beans and annotations: a missing bean of any
 * capability is explained (the switch that is off, or the auto-configuration to bring in), and an annotation's
 * action speaks of the kind of mistake made.
 */
@RealRedis
class StarterFailureAnalysisTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=analysis-" + UUID.randomUUID() + ":");

	static class NeedsJobs {

		NeedsJobs(JobQueue jobs) {
		}

	}

	@Test
	void aMissingJobQueueWithNothingSwitchedOffNamesTheAutoConfigurationToBringIn() {
		// A slice-like context: the starter's core, not its queue auto-configuration.
		this.runner.withBean(NeedsJobs.class).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new MissingStarterBeanFailureAnalyzer(new MockEnvironment())
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains(JobQueue.class.getName(), "RedisStarterQueueAutoConfiguration");
			assertThat(analysis.getAction()).contains("Lettuce RedisConnectionFactory",
					"@ImportAutoConfiguration({RedisStarterAutoConfiguration.class, RedisStarterQueueAutoConfiguration.class})",
					"define a bean of type JobQueue yourself");
		});
	}

	@ParameterizedTest
	@CsvSource({ "dev.redisstarter.messaging.queue.JobQueue, redis.starter.queue.enabled",
			"dev.redisstarter.messaging.queue.JobDeadLetters, redis.starter.queue.enabled",
			"dev.redisstarter.messaging.stream.StreamPublisher, redis.starter.stream.enabled",
			"dev.redisstarter.messaging.stream.DeadLetters, redis.starter.messaging.enabled",
			"dev.redisstarter.messaging.pubsub.MessageBus, redis.starter.messaging.enabled",
			"dev.redisstarter.leaderboard.Leaderboards, redis.starter.leaderboard.enabled",
			"dev.redisstarter.cache.CacheService, redis.starter.cache.enabled",
			"dev.redisstarter.lock.DistributedLock, redis.starter.lock.enabled",
			"dev.redisstarter.ratelimit.RateLimiter, redis.starter.ratelimit.enabled",
			"dev.redisstarter.session.SessionService, redis.starter.session.enabled" })
	void aMissingBeanOfEveryCapabilityNamesTheSwitchThatIsOff(String type, String property) throws Exception {
		MockEnvironment environment = new MockEnvironment().withProperty(property, "false");
		FailureAnalysis analysis = new MissingStarterBeanFailureAnalyzer(environment)
			.analyze(new NoSuchBeanDefinitionException(ResolvableType.forClass(Class.forName(type))));
		assertThat(analysis).as(type).isNotNull();
		assertThat(analysis.getDescription()).contains(type, property + " is false");
		assertThat(analysis.getAction()).contains("Set " + property + " to true");
	}

	@Test
	void aBeanThatIsNotTheStartersIsLeftToSpringBoot() {
		assertThat(new MissingStarterBeanFailureAnalyzer(new MockEnvironment())
			.analyze(new NoSuchBeanDefinitionException(ResolvableType.forClass(String.class)))).isNull();
	}

	static class ThreeParameters {

		@JobHandler(queue = "analysis-emails")
		void send(String to, String subject, String body) {
		}

	}

	@Test
	void aParameterListMistakeIsToBeFixedInTheMethodWithoutTalkOfSpelOrPolicies() {
		this.runner.withConfiguration(AutoConfigurations.of(RedisStarterRateLimitAutoConfiguration.class,
				RedisStarterQueueAutoConfiguration.class))
			.withBean(ThreeParameters.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new InvalidAnnotationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("@JobHandler", "ThreeParameters.send",
						"the method must take the payload, optionally followed by a JobContext");
				assertThat(analysis.getAction()).contains("Change the parameter list", "ThreeParameters.send")
					.doesNotContain("SpEL", "policies", "redis.starter.ratelimit", "Durations");
			});
	}

	static class StreamListenerWithThreeParameters {

		@StreamListener(stream = "analysis-orders")
		void order(String one, String two, String three) {
		}

	}

	@Test
	void aStreamListenersParameterListMistakeIsReportedTheSameWay() {
		this.runner.withConfiguration(AutoConfigurations.of(RedisStarterStreamsAutoConfiguration.class))
			.withBean(StreamListenerWithThreeParameters.class)
			.run((context) -> {
				FailureAnalysis analysis = new InvalidAnnotationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getAction()).contains("Change the parameter list").doesNotContain("SpEL");
			});
	}

	static class UnparsableLockKey {

		@WithLock(key = "'order:' + ")
		void reserve(String sku) {
		}

	}

	static class UnknownPolicy {

		@RateLimited(policy = "no-such-policy", key = "#client")
		void call(String client) {
		}

	}

	@Test
	void anExpressionMistakeTalksOfSpelAndAnUnknownPolicyOfWhereThePoliciesAreNamed() {
		this.runner.withConfiguration(AutoConfigurations.of(RedisStarterLockAutoConfiguration.class))
			.withBean(UnparsableLockKey.class)
			.run((context) -> {
				FailureAnalysis analysis = new InvalidAnnotationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getAction()).contains("Correct the expression in the @WithLock annotation", "SpEL")
					.doesNotContain("policies");
			});
		this.runner.withConfiguration(AutoConfigurations.of(RedisStarterRateLimitAutoConfiguration.class))
			.withBean(UnknownPolicy.class)
			.run((context) -> {
				FailureAnalysis analysis = new InvalidAnnotationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("no-such-policy");
				assertThat(analysis.getAction()).contains("redis.starter.ratelimit.policies");
			});
	}

}
