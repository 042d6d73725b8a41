package dev.redisstarter.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A read lease or permits granted by a reply that came after the caller gave up are given back at once, not held
 * by nobody for their lease.
 */
class LateSharedLockReplyTests {

	@Test
	void aReadLeaseAndPermitsWhoseAcquisitionReplyCameTooLateAreGivenBackAtOnce() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(proxy.host(), proxy.port());
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			// A high threshold: the slow replies must not open the circuit, so the releases can go out.
			RedisAccess access = new RedisAccess(factory, ResilienceSettings.DEFAULTS.withCircuit(100, Duration.ofSeconds(1)),
					meters).start();
			access.awaitConnection(Duration.ofSeconds(10));
			KeyNaming keys = new KeyNaming("");
			try (RedisReadWriteLock locks = new RedisReadWriteLock(access.calls(Feature.LOCK, Duration.ofMillis(200)), keys,
					LockSettings.DEFAULTS, new LockMetrics(meters));
					RedisSemaphore semaphores = new RedisSemaphore(access.calls(Feature.LOCK, Duration.ofMillis(200)), keys,
							LockSettings.DEFAULTS, 5, new LockMetrics(meters))) {
				// Loads the scripts on the server, so that the late replies below are theirs, not NOSCRIPT.
				locks.tryReadLock("warm-up", Duration.ZERO).orElseThrow().close();
				semaphores.tryAcquire("warm-up", Duration.ZERO).orElseThrow().close();
				proxy.setLatency(Duration.ofMillis(600)).set(Fault.LATENCY);

				assertThatExceptionOfType(LockUnavailableException.class)
					.isThrownBy(() -> locks.tryReadLock("report", Duration.ZERO, Duration.ofMinutes(10)));
				assertThatExceptionOfType(LockUnavailableException.class)
					.isThrownBy(() -> semaphores.tryAcquire("exports", 5, 2, Duration.ZERO, Duration.ofMinutes(10)));
				awaitCount(() -> server.command("ZCARD", "lock:{report}:rw:readers"), 1L, "read lease taken by the late reply");
				awaitCount(() -> server.command("ZCARD", "lock:{exports}:permits"), 2L, "permits taken by the late reply");
				awaitCount(() -> server.command("ZCARD", "lock:{report}:rw:readers"), 0L,
						"read lease given back, not held for its 10 min lease");
				awaitCount(() -> server.command("ZCARD", "lock:{exports}:permits"), 0L,
						"permits given back, not held for their 10 min lease");
				assertThat(meters.get("redis.starter.lock.abandoned").counter().count()).isEqualTo(2);
			}
			finally {
				proxy.pass();
				access.close();
				factory.destroy();
			}
		}
	}

	@Test
	void aReadLeaseAndPermitsWhoseCallerWasInterruptedWhileTheirReplyWasOnItsWayAreGivenBack() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(proxy.host(), proxy.port());
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = new RedisAccess(factory, ResilienceSettings.DEFAULTS, meters).start();
			access.awaitConnection(Duration.ofSeconds(10));
			KeyNaming keys = new KeyNaming("");
			try (RedisReadWriteLock locks = new RedisReadWriteLock(access.calls(Feature.LOCK, Duration.ofSeconds(2)), keys,
					LockSettings.DEFAULTS, new LockMetrics(meters));
					RedisSemaphore semaphores = new RedisSemaphore(access.calls(Feature.LOCK, Duration.ofSeconds(2)), keys,
							LockSettings.DEFAULTS, 5, new LockMetrics(meters))) {
				locks.tryReadLock("warm-up", Duration.ZERO).orElseThrow().close();
				semaphores.tryAcquire("warm-up", Duration.ZERO).orElseThrow().close();
				proxy.setLatency(Duration.ofMillis(400)).set(Fault.LATENCY);
				// Cancelled with cancel(true) while the reply is on its way: the script runs in Redis all the same.
				assertThat(interruptedAfter(Duration.ofMillis(150),
						() -> locks.tryReadLock("report", Duration.ZERO, Duration.ofMinutes(10))))
					.as("the interrupted reader gives up").isEqualTo(Optional.empty());
				assertThat(interruptedAfter(Duration.ofMillis(150),
						() -> semaphores.tryAcquire("exports", 5, 2, Duration.ZERO, Duration.ofMinutes(10))))
					.as("the interrupted caller gives up").isEqualTo(Optional.empty());
				awaitCount(() -> server.command("ZCARD", "lock:{report}:rw:readers"), 0L,
						"read lease given back, not held by nobody for its 10 min lease");
				awaitCount(() -> server.command("ZCARD", "lock:{exports}:permits"), 0L,
						"permits given back, not held by nobody for their 10 min lease");
				assertThat(meters.get("redis.starter.lock.abandoned").counter().count()).isEqualTo(2);
			}
			finally {
				proxy.pass();
				access.close();
				factory.destroy();
			}
		}
	}

	/** What a call answers (or throws) when its thread is interrupted after a while. */
	private static Object interruptedAfter(Duration delay, Supplier<?> call) throws InterruptedException {
		AtomicReference<Object> outcome = new AtomicReference<>();
		Thread caller = new Thread(() -> {
			try {
				outcome.set(call.get());
			}
			catch (RuntimeException ex) {
				outcome.set(ex);
			}
		});
		caller.start();
		Thread.sleep(delay.toMillis());
		caller.interrupt();
		caller.join(10_000);
		return outcome.get();
	}

	private static void awaitCount(Supplier<Object> count, long expected, String what) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!Long.valueOf(expected).equals(count.get()) && System.nanoTime() < deadline) {
			LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
		}
		assertThat(count.get()).as(what).isEqualTo(expected);
	}

}
