package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties renamed for one spelling per capability keep working for one release: the old name binds to the new
 * one and one WARN names both. Runs a whole SpringApplication, so the post-processor is found through
 * spring.factories as in an application.
 */
@ExtendWith(OutputCaptureExtension.class)
class RenamedPropertiesTests {

	@Test
	void anOldStreamPropertyBindsUnderItsNewNameAndWarnsOnceNamingBoth(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run("--redis.starter.messaging.streams.timeout=3s",
				"--redis.starter.messaging.streams.named.orders.max-deliveries=2")) {
			StreamsProperties stream = context.getBean(RedisStarterProperties.class).getStream();
			assertThat(stream.getTimeout()).isEqualTo(Duration.ofSeconds(3));
			assertThat(stream.getNamed().get("orders").getMaxDeliveries()).isEqualTo(2);
			assertThat(context.getEnvironment().getProperty("redis.starter.stream.timeout")).isEqualTo("3s");
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN")
				&& line.contains("'redis.starter.messaging.streams.timeout'")
				&& line.contains("'redis.starter.stream.timeout'"))).hasSize(1);
		assertThat(output.getOut()).contains("'redis.starter.stream.named.orders.max-deliveries'");
	}

	@Test
	void aValueSetUnderTheNewNameWinsOverTheOldName() {
		try (ConfigurableApplicationContext context = run("--redis.starter.messaging.streams.timeout=3s",
				"--redis.starter.stream.timeout=4s")) {
			assertThat(context.getBean(RedisStarterProperties.class).getStream().getTimeout())
				.isEqualTo(Duration.ofSeconds(4));
		}
	}

	@Test
	void theOldRateLimitSpellingBindsAndWarnsOnce(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run("--redis.starter.rate-limit.timeout=700ms")) {
			assertThat(context.getBean(RedisStarterProperties.class).getRatelimit().getTimeout())
				.isEqualTo(Duration.ofMillis(700));
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN")
				&& line.contains("'redis.starter.rate-limit.timeout'")
				&& line.contains("'redis.starter.ratelimit.timeout'"))).hasSize(1);
	}

	@Test
	void newNamesBindWithoutAnyWarning(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run("--redis.starter.stream.timeout=3s",
				"--redis.starter.ratelimit.timeout=700ms")) {
			RedisStarterProperties properties = context.getBean(RedisStarterProperties.class);
			assertThat(properties.getStream().getTimeout()).isEqualTo(Duration.ofSeconds(3));
			assertThat(properties.getRatelimit().getTimeout()).isEqualTo(Duration.ofMillis(700));
		}
		assertThat(output.getOut()).doesNotContain("is deprecated");
	}

	private static ConfigurableApplicationContext run(String... args) {
		return new SpringApplicationBuilder(PropertiesOnly.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off")
			.run(args);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(RedisStarterProperties.class)
	static class PropertiesOnly {

	}

}
