package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.health.RedisStarterHealthIndicator;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health waits for its {@code PING} as long as the circuit's probes do ({@code redis.starter.resilience.probe-timeout}):
 * a Redis that is slow but answers within it is UP, marked slow; one that does not answer in time is DOWN.
 */
class SlowRedisHealthTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
				RedisStarterHealthAutoConfiguration.class));

	@Test
	void aSlowRedisThatAnswersWithinTheProbeTimeoutIsUpAndMarkedSlow() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			this.runner
				.withPropertyValues("spring.data.redis.host=" + proxy.host(), "spring.data.redis.port=" + proxy.port(),
						"redis.starter.resilience.probe-timeout=2s")
				.run((context) -> {
					assertThat(context.getBean(RedisAccess.class).awaitConnection(Duration.ofSeconds(5))).isTrue();
					RedisStarterHealthIndicator health = context.getBean("redisHealthContributor",
							RedisStarterHealthIndicator.class);
					assertThat(health.health(true).getDetails()).doesNotContainKey("slow");

					proxy.setLatency(Duration.ofMillis(1200)).set(Fault.LATENCY);
					Health slow = health.health(true);
					assertThat(slow.getStatus()).as("a Redis 1.2 s away, probe timeout 2 s").isEqualTo(Status.UP);
					assertThat(slow.getDetails()).containsEntry("slow", true).containsEntry("circuit", "closed");
					assertThat((Long) slow.getDetails().get("pingMillis")).isGreaterThanOrEqualTo(1200L);

					proxy.setLatency(Duration.ofMillis(2500));
					assertThat(health.health(true).getStatus()).as("no answer within the probe timeout")
						.isEqualTo(Status.DOWN);
				});
		}
	}

}
