package dev.redisstarter.lock;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** With Redis stopped, locks fail fast with LockUnavailableException instead of hanging or pretending. */
@ExtendWith(OutputCaptureExtension.class)
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
					.withMessageContaining("'pa…' (8 chars)");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
				assertThatExceptionOfType(LockUnavailableException.class).isThrownBy(held::release);
				held.close();
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void aLockNamedWithACallersDataIsMaskedInExceptionMessagesAndLogLines(CapturedOutput output) {
		// A lock name is often built from a request (@WithLock("'order:' + #orderId")): like a cache key, it is
		// written to logs when its 503 is answered, and must not appear whole.
		String name = "order:" + "alice@example.com/".repeat(50); // under redis.starter.max-key-part-length
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server, Duration.ofMillis(500));
			try (RedisDistributedLock lock = new RedisDistributedLock(factory, new KeyNaming(""), LockSettings.DEFAULTS,
					new LockMetrics(new SimpleMeterRegistry()));
					RedisDistributedLock other = new RedisDistributedLock(factory, new KeyNaming(""),
							LockSettings.DEFAULTS, new LockMetrics(new SimpleMeterRegistry()))) {
				LockLease held = lock.tryAcquire(name, Duration.ZERO).orElseThrow();
				assertThatExceptionOfType(LockNotAcquiredException.class)
					.isThrownBy(() -> other.withLock(name, Duration.ofMillis(50), () -> "never"))
					.satisfies((ex) -> assertThat(ex.getLockName()).isEqualTo(name))
					.withMessageNotContaining("alice@example.com/alice")
					.withMessageContaining("(" + name.length() + " chars)");
				server.stop();
				assertThatExceptionOfType(LockUnavailableException.class)
					.isThrownBy(() -> lock.tryAcquire(name, Duration.ofSeconds(1)))
					.withMessageNotContaining("alice@example.com/alice")
					.withMessageContaining("(" + name.length() + " chars)");
				held.close();
				assertThat(output).contains("the lock frees itself when its lease ends")
					.doesNotContain("alice@example.com/alice");
			}
			finally {
				factory.destroy();
			}
		}
	}

}
