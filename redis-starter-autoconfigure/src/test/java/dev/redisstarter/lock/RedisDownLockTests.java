package dev.redisstarter.lock;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** With Redis stopped, locks fail fast with LockUnavailableException instead of hanging or pretending. */
class RedisDownLockTests {

	@Test
	void acquiringWithRedisDownThrowsLockUnavailableWithinTheCommandTimeout() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server, Duration.ofMillis(500));
			try (RedisDistributedLock lock = new RedisDistributedLock(factory, new KeyNaming(""), LockSettings.DEFAULTS,
					new LockMetrics(new SimpleMeterRegistry()))) {
				LockLease held = lock.tryAcquire("orders", Duration.ZERO).orElseThrow();
				server.stop();
				long start = System.nanoTime();
				assertThatExceptionOfType(LockUnavailableException.class)
					.isThrownBy(() -> lock.tryAcquire("payments", Duration.ofSeconds(30)))
					.withMessageContaining("payments");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
				assertThatExceptionOfType(LockUnavailableException.class).isThrownBy(held::release);
				held.close();
			}
			finally {
				factory.destroy();
			}
		}
	}

}
