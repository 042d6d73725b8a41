package dev.redisstarter.lock;

import java.time.Duration;
import java.util.function.Consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * With Redis stopped or frozen, read/write locks and semaphores fail with LockUnavailableException within the lock
 * deadline (500 ms), never after the client's 60 s command timeout, even while a waiter would wait 30 s.
 */
class RedisDownSharedLockTests {

	private static final Duration BOUND = Duration.ofMillis(1500);

	@Test
	void readWriteLockAndSemaphoreCallsWithRedisStoppedThrowLockUnavailableWithinTheDeadline() {
		withServices((server) -> server.stop());
	}

	@Test
	void readWriteLockAndSemaphoreCallsWithRedisFrozenThrowLockUnavailableWithinTheDeadline() {
		withServices(LocalRedisServer::freeze);
	}

	private static void withServices(Consumer<LocalRedisServer> fault) {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server, Duration.ofSeconds(60));
			KeyNaming keys = new KeyNaming("");
			try (RedisReadWriteLock locks = new RedisReadWriteLock(factory, keys, LockSettings.DEFAULTS,
					new LockMetrics(new SimpleMeterRegistry()));
					RedisSemaphore semaphores = new RedisSemaphore(factory, keys, LockSettings.DEFAULTS, 2,
							new LockMetrics(new SimpleMeterRegistry()))) {
				LockLease reading = locks.tryReadLock("report", Duration.ZERO).orElseThrow();
				PermitLease permit = semaphores.tryAcquire("exports", Duration.ZERO).orElseThrow();
				fault.accept(server);
				bounded(() -> locks.tryWriteLock("ledger", Duration.ofSeconds(30)));
				bounded(() -> locks.tryReadLock("other", Duration.ofSeconds(30)));
				bounded(() -> semaphores.tryAcquire("exports", Duration.ofSeconds(30)));
				bounded(reading::release);
				bounded(permit::release);
				// close() never throws: it says the lease ends by itself.
				reading.close();
				permit.close();
			}
			finally {
				server.thaw();
				factory.destroy();
			}
		}
	}

	private static void bounded(Runnable call) {
		long start = System.nanoTime();
		assertThatExceptionOfType(LockUnavailableException.class).isThrownBy(call::run);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered within the deadline").isLessThan(BOUND);
	}

}
