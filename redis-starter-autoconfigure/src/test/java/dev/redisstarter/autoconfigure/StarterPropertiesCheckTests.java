package dev.redisstarter.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Misspelled {@code redis.starter.*} names and values out of range stop start-up with Spring Boot's report (never a
 * stack trace); in warn mode a misspelled name is logged once. No Redis is needed: both checks run before any Redis
 * bean is created.
 */
@ExtendWith(OutputCaptureExtension.class)
class StarterPropertiesCheckTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisStarterPropertiesCheckAutoConfiguration.class));

	@ParameterizedTest
	@CsvSource({ "redis.starter.queue.defaults.atempts=10, redis.starter.queue.defaults.attempts",
			"redis.starter.queue.named.emails.max-stalld=2, redis.starter.queue.named.emails.max-stalled",
			"redis.starter.queue.named[emails].backof.initial=1s, redis.starter.queue.named[emails].backoff.initial",
			"redis.starter.queue.schedules.digest.mised=run-once, redis.starter.queue.schedules.digest.missed",
			"redis.starter.stream.named.orders.max-deliverys=3, redis.starter.stream.named.orders.max-deliveries",
			"redis.starter.stream.defaults.circuit.paus=1s, redis.starter.stream.defaults.circuit.pause",
			"redis.starter.cache.caches.products.tll=1m, redis.starter.cache.caches.products.ttl",
			"redis.starter.ratelimit.policies.api.limt=5, redis.starter.ratelimit.policies.api.limit",
			"redis.starter.ratelimit.http.rules[0].polcy=api, redis.starter.ratelimit.http.rules[0].policy",
			"redis.starter.lock.default-leas=10s, redis.starter.lock.default-lease",
			"redis.starter.leaderboard.boards.global.oder=lowest-first, redis.starter.leaderboard.boards.global.order",
			"redis.starter.messaging.listeners.quotes.concurency=2, redis.starter.messaging.listeners.quotes.concurrency",
			"redis.starter.enabeld=false, redis.starter.enabled",
			"redis.starter.quue.defaults.attempts=4, redis.starter.queue.defaults.attempts",
			"redis.starter.messaging.streams.named.orders.max-deliverys=3, redis.starter.messaging.streams.named.orders.max-deliveries" })
	void aMisspelledKeyFailsStartUpNamingItAndTheNearestValidKey(String property, String nearest) {
		String name = property.substring(0, property.indexOf('='));
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(UnknownPropertyException.class);
			FailureAnalysis analysis = new UnknownPropertyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: " + name);
			assertThat(analysis.getAction()).contains(name + ": did you mean " + nearest + "?")
				.contains("redis.starter.unknown-properties=warn");
		});
	}

	@Test
	void validKeysMapKeysListIndexesAndTheOldNamesStart() {
		this.runner
			.withPropertyValues("redis.starter.queue.defaults.attempts=4", "redis.starter.queue.named.any-name.lease=1m",
					"redis.starter.queue.named[a.b].backoff.jitter=0.1", "redis.starter.queue.schedules.x.missed=skip",
					"redis.starter.stream.named.orders.circuit.max-pause=2m", "redis.starter.cache.caches.p.early-refresh=true",
					"redis.starter.cache.spring-cache.allowed-packages[0]=com.example",
					"redis.starter.ratelimit.policies.api.limits[1].window=1s", "redis.starter.ratelimit.http.rules[0].paths[2]=/x",
					"redis.starter.ratelimit.http.trusted-proxies=127.0.0.1", "redis.starter.lock.advisor-order=5",
					"redis.starter.leaderboard.boards.global.tie-rule=dense", "redis.starter.unknown-properties=fail",
					// Renamed prefixes still bind (RenamedPropertiesEnvironmentPostProcessor), so they are known names.
					"redis.starter.messaging.streams.named.orders.max-deliveries=3", "redis.starter.rate-limit.enabled=true",
					// redis-starter-test's own system properties.
					"redis.starter.test.docker=false", "redis.starter.schedule.seed=7", "redis.starter.key-prefix=check:", "redis.starter=")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void inWarnModeAMisspelledKeyIsLoggedOnceAndStartUpGoesOn(CapturedOutput output) {
		this.runner
			.withPropertyValues("redis.starter.unknown-properties=warn", "redis.starter.queue.defaults.atempts=10")
			.withSystemProperties("redis.starter.queue.defaults.atempts=11")
			.run((context) -> assertThat(context).hasNotFailed());
		String warning = "Unknown property 'redis.starter.queue.defaults.atempts'";
		assertThat(output).contains(warning).contains("did you mean redis.starter.queue.defaults.attempts?");
		assertThat(output.getOut().split(java.util.regex.Pattern.quote(warning), -1)).hasSize(2);
	}

	@Test
	void aMisspelledKeyInAFileIsReportedWithItsOriginAndNoStackTrace(CapturedOutput output) {
		SpringApplication application = new SpringApplication(CheckOnly.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException()
			.isThrownBy(() -> application
				.run("--spring.config.location=classpath:/dev/redisstarter/autoconfigure/misspelled.properties"))
			.isInstanceOf(UnknownPropertyException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: redis.starter.queue.defaults.atempts")
			.contains("misspelled.properties] - 2:")
			.contains("did you mean redis.starter.queue.defaults.attempts?")
			.doesNotContain("\tat dev.redisstarter");
	}

	@Test
	void aValueOutOfRangeIsReportedWithItsFullNameValueAndRangeWithoutAStackTrace(CapturedOutput output) {
		SpringApplication application = new SpringApplication(BindOnly.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application
			.run("--spring.config.location=classpath:/dev/redisstarter/autoconfigure/out-of-range.properties"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value for property 'redis.starter.queue.defaults.backoff.jitter'")
			.contains("Value: 2.0")
			.contains("out-of-range.properties] - 2:")
			.contains("Accepted: between 0 and 1")
			.doesNotContain("\tat ");
	}

	@Test
	void aValueOutOfRangeInANamedQueueIsAnalysedWithTheMapKeyInItsName() {
		new ApplicationContextRunner().withUserConfiguration(BindOnly.class)
			.withPropertyValues("redis.starter.queue.named.emails.backoff.jitter=2.0")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new InvalidPropertyFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription())
					.contains("Invalid value for property 'redis.starter.queue.named.emails.backoff.jitter'")
					.contains("Value: 2.0")
					.contains("Accepted: between 0 and 1");
				assertThat(analysis.getAction())
					.isEqualTo("Change redis.starter.queue.named.emails.backoff.jitter: it must be between 0 and 1 (or"
							+ " remove it to use the default).");
			});
	}

	@Test
	void valuesThatDoNotFitTogetherAreAnalysedByTheSameAnalyzer() {
		FailureAnalysis analysis = new InvalidPropertyFailureAnalyzer().analyze(new IllegalStateException("wrapped",
				new InvalidPropertyException("redis.starter.queue.named.emails", "backoff max (PT1S) must not be below"
						+ " its initial (PT2S)")));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("Invalid properties under 'redis.starter.queue.named.emails'")
			.contains("backoff max (PT1S) must not be below its initial (PT2S)");
		assertThat(analysis.getAction()).contains("redis.starter.queue.named.emails");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RedisStarterPropertiesCheckAutoConfiguration.class)
	static class CheckOnly {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(RedisStarterProperties.class)
	static class BindOnly {

	}

}
