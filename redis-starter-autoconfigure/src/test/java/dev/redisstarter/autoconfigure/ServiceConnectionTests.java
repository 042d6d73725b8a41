package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @ServiceConnection} (Testcontainers) and Docker Compose hand Spring Boot a {@link DataRedisConnectionDetails}
 * bean instead of {@code spring.data.redis.*} properties; the starter takes Boot's connection factory, so it uses
 * that server too. Here the bean is registered the way {@code @ServiceConnection} does it, without Docker.
 */
class ServiceConnectionTests {

	@Test
	void theStarterUsesTheServerOfAConnectionDetailsBean() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			DataRedisConnectionDetails details = new DataRedisConnectionDetails() {
				@Override
				public Standalone getStandalone() {
					return Standalone.of("127.0.0.1", server.port());
				}
			};
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
						RedisStarterAutoConfiguration.class, RedisStarterLockAutoConfiguration.class))
				.withPropertyValues("spring.data.redis.port=1")
				.withBean(DataRedisConnectionDetails.class, () -> details)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					String name = "service-connection-" + UUID.randomUUID();
					LockLease lease = context.getBean(DistributedLock.class)
						.tryAcquire(name, Duration.ofSeconds(2))
						.orElseThrow();
					try (lease) {
						assertThat(server.command("DBSIZE").toString()).as("the lock key is on that server")
							.isNotEqualTo("0");
					}
				});
		}
	}

}
