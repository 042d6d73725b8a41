package dev.redisstarter.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.redisstarter.ratelimit.Algorithm;
import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimitExceededException;
import dev.redisstarter.ratelimit.RateLimitPolicies;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.ratelimit.RateLimited;
import dev.redisstarter.ratelimit.RateLimiter;
import dev.redisstarter.ratelimit.RedisRateLimiter;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@RealRedis
class RateLimitAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisStarterAutoConfiguration.class, RedisStarterRateLimitAutoConfiguration.class))
		.withPropertyValues(SharedRedis.standalone().propertyValues())
		.withPropertyValues("redis.starter.key-prefix=rl-" + UUID.randomUUID() + ":");

	@Test
	void rateLimitedMethodsOnAProxiedBeanThrowOnceTheLimitIsReached() {
		this.runner.withUserConfiguration(GreetingConfiguration.class).run((context) -> {
			Greetings greetings = context.getBean(Greetings.class);
			assertThat(org.springframework.aop.support.AopUtils.isAopProxy(greetings)).isTrue();
			assertThat(greetings.greet("ann")).isEqualTo("hello ann");
			assertThat(greetings.greet("ann")).isEqualTo("hello ann");
			assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> greetings.greet("ann"))
				.withMessageContaining("key 'a…' (3 chars)")
				.withMessageNotContaining("ann")
				.withMessageContaining("Greetings.greet")
				.satisfies((ex) -> assertThat(ex.getResult().retryAfter()).isPositive());
			assertThat(greetings.greet("bob")).as("keyed by argument").isEqualTo("hello bob");
			assertThat(greetings.calls()).isEqualTo(3);
		});
	}

	@Test
	void overloadsAndSameNamedClassesNeverShareAnInlineLimit() {
		this.runner.withBean(Overloads.class).withBean(dev.redisstarter.autoconfigure.other.Overloads.class)
			.run((context) -> {
				Overloads overloads = context.getBean(Overloads.class);
				dev.redisstarter.autoconfigure.other.Overloads other = context
					.getBean(dev.redisstarter.autoconfigure.other.Overloads.class);
				overloads.call("k");
				overloads.call(1);
				other.call("k");
				assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> overloads.call("k"))
					.withMessageContaining("RateLimitAutoConfigurationTests$Overloads.call(String)");
			});
	}

	static class Overloads {

		@RateLimited(limit = 1, window = "1h", key = "'same'")
		void call(String value) {
		}

		@RateLimited(limit = 1, window = "1h", key = "'same'")
		void call(int value) {
		}

	}

	@Test
	void aPolicyFromPropertiesLimitsTheAnnotatedMethodWithOneKeyForAllCallers() {
		this.runner.withUserConfiguration(ShoutingConfiguration.class)
			.withPropertyValues("redis.starter.ratelimit.policies.shouting.algorithm=token-bucket",
					"redis.starter.ratelimit.policies.shouting.capacity=3",
					"redis.starter.ratelimit.policies.shouting.refill=1",
					"redis.starter.ratelimit.policies.shouting.window=1h")
			.run((context) -> {
				Shouting greetings = context.getBean(Shouting.class);
				for (int i = 0; i < 3; i++) {
					greetings.shout("x" + i);
				}
				assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> greetings.shout("y"))
					.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("global"))
					.satisfies((ex) -> assertThat(ex.getResult().retryAfter()).isBetween(Duration.ofMinutes(59),
							Duration.ofMinutes(60)));
			});
	}

	@Test
	void repeatedAnnotationsOnOneKeyAreAllOrNothing() {
		this.runner.withUserConfiguration(GreetingConfiguration.class).run((context) -> {
			Greetings greetings = context.getBean(Greetings.class);
			greetings.whisper("k");
			greetings.whisper("k");
			for (int i = 0; i < 3; i++) {
				assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> greetings.whisper("k"));
			}
			RateLimiter limiter = context.getBean(RateLimiter.class);
			RateLimit daily = RateLimit.fixedWindow(5, Duration.ofDays(10)).withName("Greetings.whisper#1");
			assertThat(limiter.tryAcquire("k", daily, 3).allowed()).as("rejections took nothing from the second limit")
				.isTrue();
		});
	}

	@Test
	void policiesBindSingleAndCompositeLimitsWithTheirParameters() {
		this.runner
			.withPropertyValues("redis.starter.ratelimit.policies.api.algorithm=gcra",
					"redis.starter.ratelimit.policies.api.limit=100", "redis.starter.ratelimit.policies.api.window=1m",
					"redis.starter.ratelimit.policies.api.burst=20",
					"redis.starter.ratelimit.policies.api.block-duration=30s",
					"redis.starter.ratelimit.policies.api.fail-open=false",
					"redis.starter.ratelimit.policies.login.limits[0].name=second",
					"redis.starter.ratelimit.policies.login.limits[0].algorithm=sliding-window",
					"redis.starter.ratelimit.policies.login.limits[0].limit=10",
					"redis.starter.ratelimit.policies.login.limits[0].window=1s",
					"redis.starter.ratelimit.policies.login.limits[1].algorithm=fixed-window",
					"redis.starter.ratelimit.policies.login.limits[1].limit=1000",
					"redis.starter.ratelimit.policies.login.limits[1].window=1h")
			.run((context) -> {
				RateLimitPolicies policies = context.getBean(RateLimitPolicies.class);
				RateLimit api = policies.get("api").get(0);
				assertThat(api.name()).isEqualTo("api");
				assertThat(api.algorithm()).isEqualTo(Algorithm.GCRA);
				assertThat(api.burst()).isEqualTo(20);
				assertThat(api.blockDuration()).isEqualTo(Duration.ofSeconds(30));
				assertThat(api.failureMode()).isEqualTo(dev.redisstarter.ratelimit.FailureMode.FAIL_CLOSED);
				assertThat(policies.get("login")).extracting(RateLimit::name).containsExactly("login:second", "login:1");
				assertThat(context).hasSingleBean(RedisRateLimiter.class);
			});
	}

	@Test
	void aPolicyMissingAFieldFailsStartUpNamingIt() {
		this.runner
			.withPropertyValues("redis.starter.ratelimit.policies.api.algorithm=fixed-window",
					"redis.starter.ratelimit.policies.api.limit=10")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid redis.starter.ratelimit.policies.api.window: it is required"));
	}

	@Test
	void aPolicyWithAnInvalidValueFailsStartUpNamingIt() {
		this.runner
			.withPropertyValues("redis.starter.ratelimit.policies.api.algorithm=fixed-window",
					"redis.starter.ratelimit.policies.api.limit=0", "redis.starter.ratelimit.policies.api.window=1m")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid redis.starter.ratelimit.policies.api:")
				.hasStackTraceContaining("limit must be at least 1"));
	}

	@Test
	void anUnknownPolicyOnAnAnnotationFailsStartUpNamingTheMethodAndThePolicy() {
		this.runner.withUserConfiguration(UnknownPolicyConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid @RateLimited on")
				.hasStackTraceContaining("UnknownPolicy.call")
				.hasStackTraceContaining("No rate-limit policy named 'nope'"));
	}

	@Test
	void aKeyExpressionThatDoesNotParseFailsStartUp() {
		this.runner.withUserConfiguration(BadExpressionConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid @RateLimited on")
				.hasStackTraceContaining("BadExpression.call"));
	}

	@Test
	void backsOffWhenDisabledAndAUsersLimiterWins() {
		this.runner.withPropertyValues("redis.starter.ratelimit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RateLimiter.class));
		RateLimiter own = (key, limits, permits) -> new RateLimitResult(true, 1, 1, Duration.ZERO, Duration.ZERO,
				RateLimitResult.Decision.ALLOWED, "own", Duration.ofSeconds(1));
		this.runner.withBean(RateLimiter.class, () -> own)
			.run((context) -> assertThat(context.getBean(RateLimiter.class)).isSameAs(own));
	}

	@Test
	void instancesWhoseClocksDisagreeShareOneExactLimitBecauseOnlyServerTimeCounts() {
		String key = "skew-" + UUID.randomUUID();
		RateLimit limit = RateLimit.fixedWindow(10, Duration.ofSeconds(30));
		ApplicationContextRunner early = this.runner
			.withBean(Clock.class, () -> Clock.offset(Clock.systemUTC(), Duration.ofHours(-3)));
		ApplicationContextRunner late = this.runner
			.withBean(Clock.class, () -> Clock.fixed(Instant.now().plus(Duration.ofDays(400)), ZoneOffset.UTC));
		early.run((first) -> late.run((second) -> {
			List<RateLimiter> instances = List.of(first.getBean(RateLimiter.class), second.getBean(RateLimiter.class));
			int allowed = 0;
			for (int i = 0; i < 40; i++) {
				if (instances.get(i % 2).tryAcquire(key, limit).allowed()) {
					allowed++;
				}
			}
			assertThat(allowed).isEqualTo(10);
			assertClockIsIgnored(first);
		}));
	}

	private static void assertClockIsIgnored(ConfigurableApplicationContext context) {
		assertThat(context.getBean(Clock.class).instant()).isBefore(Instant.now().minus(Duration.ofHours(2)));
	}

	/** A service with limited methods. */
	static class Greetings {

		private int calls;

		@RateLimited(limit = 2, window = "1h", key = "#name")
		String greet(String name) {
			this.calls++;
			return "hello " + name;
		}

		@RateLimited(limit = 2, window = "1h", key = "#key")
		@RateLimited(limit = 5, window = "10d", key = "#key")
		String whisper(String key) {
			return "...";
		}

		int calls() {
			return this.calls;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class GreetingConfiguration {

		@Bean
		Greetings greetings() {
			return new Greetings();
		}

	}

	static class Shouting {

		@RateLimited(policy = "shouting")
		String shout(String text) {
			return text.toUpperCase();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ShoutingConfiguration {

		@Bean
		Shouting shouting() {
			return new Shouting();
		}

	}

	static class UnknownPolicy {

		@RateLimited(policy = "nope")
		void call() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownPolicyConfiguration {

		@Bean
		UnknownPolicy unknownPolicy() {
			return new UnknownPolicy();
		}

	}

	static class BadExpression {

		@RateLimited(limit = 1, window = "1s", key = "#id +")
		void call(String id) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadExpressionConfiguration {

		@Bean
		BadExpression badExpression() {
			return new BadExpression();
		}

	}

}
