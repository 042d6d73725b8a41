package dev.redisstarter.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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

/** A lock taken by a reply that came after its caller gave up is released, not held by nobody for its lease. */
class LateLockReplyTests {

	@Test
	void aLockWhoseAcquisitionReplyCameTooLateIsReleasedAtOnce() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(proxy.host(), proxy.port());
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			// A high threshold: the slow replies must not open the circuit, so the release can go out.
			RedisAccess access = connected(factory, ResilienceSettings.DEFAULTS.withCircuit(100, Duration.ofSeconds(1)), meters);
			try (RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofMillis(200)),
					new KeyNaming(""), LockSettings.DEFAULTS, new LockMetrics(meters))) {
				// Loads the script on the server, so that the late reply below is the lock's, not a NOSCRIPT.
				lock.tryAcquire("warm-up", Duration.ZERO).orElseThrow().close();
				proxy.setLatency(Duration.ofMillis(600)).set(Fault.LATENCY);
				assertThatExceptionOfType(LockUnavailableException.class)
					.isThrownBy(() -> lock.tryAcquire("order-7", Duration.ZERO, Duration.ofMinutes(10)));
				long taken = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				while (Long.valueOf(0).equals(server.command("EXISTS", "lock:{order-7}")) && System.nanoTime() < taken) {
					LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
				}
				assertThat(server.command("EXISTS", "lock:{order-7}")).as("taken by the late reply").isEqualTo(1L);

				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				while (Long.valueOf(1).equals(server.command("EXISTS", "lock:{order-7}")) && System.nanoTime() < deadline) {
					LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
				}
				assertThat(server.command("EXISTS", "lock:{order-7}")).as("released, not held for its 10 min lease")
					.isEqualTo(0L);
				assertThat(meters.get("redis.starter.lock.abandoned").counter().count()).isEqualTo(1);

				proxy.pass();
				assertThat(server.command("SET", "lock:{order-7}", "next-owner", "NX", "PX", "60000"))
					.as("free for the next owner").isEqualTo("OK");
			}
			finally {
				access.close();
				factory.destroy();
			}
		}
	}

	@Test
	void aLockHandedOverByAReplyThatCameTooLateIsReleasedAtOnce() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(proxy.host(), proxy.port());
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			// A high threshold: the slow replies must not open the circuit (its closing would release abandoned locks).
			RedisAccess access = connected(factory, ResilienceSettings.DEFAULTS.withCircuit(100, Duration.ofSeconds(1)), meters);
			try (RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofMillis(200)),
					new KeyNaming(""), LockSettings.DEFAULTS, new LockMetrics(meters))) {
				// Loads handoff.lua on the server, so that the late reply below is the hand-off's, not a NOSCRIPT.
				LockLease warmUp = lock.tryAcquire("warm-up", Duration.ZERO).orElseThrow();
				CompletableFuture<LockLease> warmWaiter = CompletableFuture
					.supplyAsync(() -> lock.tryAcquire("warm-up", Duration.ofSeconds(10)).orElseThrow());
				awaitOffer(lock, "warm-up");
				warmUp.release();
				warmWaiter.get(5, TimeUnit.SECONDS).release();

				LockLease held = lock.tryAcquire("order-7", Duration.ZERO, Duration.ofMinutes(10)).orElseThrow();
				Object releaser = server.command("GET", "lock:{order-7}");
				CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
					try {
						lock.tryAcquire("order-7", Duration.ofSeconds(30), Duration.ofMinutes(10));
						return null;
					}
					catch (RuntimeException ex) {
						return ex;
					}
				});
				awaitOffer(lock, "order-7");
				proxy.setLatency(Duration.ofMillis(600)).set(Fault.LATENCY);

				assertThatExceptionOfType(LockUnavailableException.class).isThrownBy(held::release);
				assertThat(waiter.get(5, TimeUnit.SECONDS)).as("the waiter gives up with the hand-off's failure")
					.isInstanceOf(LockUnavailableException.class);
				long handed = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				while (String.valueOf(releaser).equals(String.valueOf(server.command("GET", "lock:{order-7}")))
						&& System.nanoTime() < handed) {
					LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
				}
				assertThat(String.valueOf(server.command("GET", "lock:{order-7}"))).as("handed over by the late reply")
					.isNotEqualTo(String.valueOf(releaser));

				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				while (Long.valueOf(1).equals(server.command("EXISTS", "lock:{order-7}")) && System.nanoTime() < deadline) {
					LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
				}
				assertThat(server.command("EXISTS", "lock:{order-7}"))
					.as("released, not held for the waiter's 10 min lease by a waiter that gave up").isEqualTo(0L);
			}
			finally {
				access.close();
				factory.destroy();
			}
		}
	}

	@Test
	void aWaiterWhoseHandOverTookEffectLateIsNotTakenOutOfTheWaiterCountTwice() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(proxy.host(), proxy.port());
			LettuceConnectionFactory direct = ConnectionFactories.lettuce(server.host(), server.port());
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = connected(factory, ResilienceSettings.DEFAULTS.withCircuit(100, Duration.ofSeconds(1)), meters);
			RedisAccess otherAccess = connected(direct, ResilienceSettings.DEFAULTS, new SimpleMeterRegistry());
			try (RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofMillis(200)),
					new KeyNaming(""), LockSettings.DEFAULTS, new LockMetrics(meters));
					RedisDistributedLock other = new RedisDistributedLock(otherAccess.calls(Feature.LOCK, Duration.ofSeconds(1)),
							new KeyNaming(""), LockSettings.DEFAULTS.withPollInterval(Duration.ofSeconds(30)),
							new LockMetrics(new SimpleMeterRegistry()))) {
				LockLease warmUp = lock.tryAcquire("warm-up", Duration.ZERO).orElseThrow();
				CompletableFuture<LockLease> warmWaiter = CompletableFuture
					.supplyAsync(() -> lock.tryAcquire("warm-up", Duration.ofSeconds(10)).orElseThrow());
				awaitOffer(lock, "warm-up");
				warmUp.release();
				warmWaiter.get(5, TimeUnit.SECONDS).release();
				// And stop-waiting.lua, which a failed waiter sends without waiting (a NOSCRIPT would go unnoticed).
				server.command("SET", "lock:{warm-up}", "someone-else", "PX", "60000");
				assertThat(lock.tryAcquire("warm-up", Duration.ofMillis(50))).isEmpty();

				LockLease held = lock.tryAcquire("order-7", Duration.ZERO, Duration.ofMinutes(10)).orElseThrow();
				Object releaser = server.command("GET", "lock:{order-7}");
				CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
					try {
						lock.tryAcquire("order-7", Duration.ofSeconds(30), Duration.ofMinutes(10));
						return null;
					}
					catch (RuntimeException ex) {
						return ex;
					}
				});
				awaitOffer(lock, "order-7");
				// Replies from Redis now come 1.5 s late; commands still run at once.
				proxy.setLatency(Duration.ofMillis(1500)).set(Fault.LATENCY);
				CompletableFuture<Boolean> release = CompletableFuture.supplyAsync(held::release);
				long handed = System.nanoTime() + Duration.ofSeconds(1).toNanos();
				while (String.valueOf(releaser).equals(String.valueOf(server.command("GET", "lock:{order-7}")))
						&& System.nanoTime() < handed) {
					LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
				}
				assertThat(server.command("EXISTS", "lock:{order-7}:waiters")).as("handoff.lua took the waiter out")
					.isEqualTo(0L);
				// A waiter of another instance comes while the hand-off's reply is on its way, and is counted.
				CompletableFuture<Optional<LockLease>> there = CompletableFuture
					.supplyAsync(() -> other.tryAcquire("order-7", Duration.ofSeconds(20), Duration.ofSeconds(5)));
				long counted = System.nanoTime() + Duration.ofSeconds(1).toNanos();
				while (!"1".equals(String.valueOf(server.command("GET", "lock:{order-7}:waiters")))
						&& System.nanoTime() < counted) {
					LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
				}

				assertThat(waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(LockUnavailableException.class);
				assertThatExceptionOfType(java.util.concurrent.ExecutionException.class).isThrownBy(() -> release.get(5, TimeUnit.SECONDS));
				Thread.sleep(300);
				assertThat(String.valueOf(server.command("GET", "lock:{order-7}:waiters")))
					.as("the other instance's waiter is still counted (releases notify it)").isEqualTo("1");
				proxy.pass();
				assertThat(there.get(10, TimeUnit.SECONDS)).as("woken by the release of the late hand-off's lock")
					.isPresent();
			}
			finally {
				access.close();
				otherAccess.close();
				factory.destroy();
				direct.destroy();
			}
		}
	}

	@Test
	void aWaiterInterruptedWhileASlowHandOverIsUnderWayGetsTheLockWithItsInterruptFlagSet() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(proxy.host(), proxy.port());
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = connected(factory, ResilienceSettings.DEFAULTS.withCircuit(100, Duration.ofSeconds(1)), meters);
			try (RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofSeconds(2)),
					new KeyNaming(""), LockSettings.DEFAULTS, new LockMetrics(meters))) {
				LockLease held = lock.tryAcquire("order-7", Duration.ZERO, Duration.ofMinutes(10)).orElseThrow();
				CompletableFuture<Boolean> interruptedHolder = new CompletableFuture<>();
				CompletableFuture<LockLease> taken = new CompletableFuture<>();
				Thread waiter = new Thread(() -> {
					try {
						taken.complete(lock.tryAcquire("order-7", Duration.ofSeconds(30), Duration.ofMinutes(10)).orElseThrow());
						interruptedHolder.complete(Thread.currentThread().isInterrupted());
					}
					catch (RuntimeException ex) {
						taken.completeExceptionally(ex);
					}
				});
				waiter.start();
				awaitOffer(lock, "order-7");
				proxy.setLatency(Duration.ofMillis(500)).set(Fault.LATENCY);
				CompletableFuture<Boolean> release = CompletableFuture.supplyAsync(held::release);
				// The release has claimed the offer; its script's reply is on its way.
				long claimed = System.nanoTime() + Duration.ofSeconds(1).toNanos();
				while (lock.waiterOffered("order-7") && System.nanoTime() < claimed) {
					LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
				}
				waiter.interrupt();

				assertThat(release.get(5, TimeUnit.SECONDS)).isTrue();
				LockLease lease = taken.get(5, TimeUnit.SECONDS);
				assertThat(interruptedHolder.get(5, TimeUnit.SECONDS)).as("the interrupt flag is kept").isTrue();
				assertThat(lease.fencingToken()).isGreaterThan(held.fencingToken());
				proxy.pass();
				assertThat(lease.release()).as("the waiter owned the lock handed to it").isTrue();
			}
			finally {
				access.close();
				factory.destroy();
			}
		}
	}

	private static void awaitOffer(RedisDistributedLock lock, String name) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!lock.waiterOffered(name)) {
			assertThat(System.nanoTime()).as("the waiter offered").isLessThan(deadline);
			LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
		}
	}

	@Test
	void aLateReplyIsHandledOffTheClientThreadSoOtherCallsDoNotWaitBehindItsRelease() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server.host(), server.port());
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = connected(factory, ResilienceSettings.DEFAULTS, meters);
			try (RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofMillis(300)),
					new KeyNaming(""), LockSettings.DEFAULTS, new LockMetrics(meters))) {
				lock.tryAcquire("warm-up", Duration.ZERO).orElseThrow().close();
				server.freeze();
				try {
					assertThatExceptionOfType(LockUnavailableException.class)
						.isThrownBy(() -> lock.tryAcquire("order-8", Duration.ZERO, Duration.ofMinutes(10)));
				}
				finally {
					server.thaw();
				}
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				while (meters.find("redis.starter.lock.abandoned").counter() == null
						|| meters.get("redis.starter.lock.abandoned").counter().count() < 1) {
					assertThat(System.nanoTime()).as("the late reply arrived").isLessThan(deadline);
					LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
				}
				while (Long.valueOf(1).equals(server.command("EXISTS", "lock:{order-8}")) && System.nanoTime() < deadline) {
					LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
				}
				assertThat(server.command("EXISTS", "lock:{order-8}")).isEqualTo(0L);
				assertThat(meters.get("redis.starter.deadlines.expired").tag("capability", "lock").counter().count())
					.as("only the acquisition expired: its release got its reply, on another thread").isEqualTo(1);
				assertThat(access.circuit().openings()).isZero();
				assertThat(lock.tryAcquire("order-9", Duration.ZERO)).isPresent();
			}
			finally {
				access.close();
				factory.destroy();
			}
		}
	}

	@Test
	void aWaiterThatFailsDoesNotSpendASecondDeadlineLeavingTheWaiterCount() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server.host(), server.port());
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = connected(factory, ResilienceSettings.DEFAULTS, meters);
			try (RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofMillis(300)),
					new KeyNaming(""), LockSettings.DEFAULTS, new LockMetrics(meters))) {
				server.command("SET", "lock:{busy}", "someone-else", "PX", "60000");
				java.util.concurrent.CompletableFuture<Throwable> waiter = java.util.concurrent.CompletableFuture
					.supplyAsync(() -> {
						try {
							lock.tryAcquire("busy", Duration.ofSeconds(30));
							return null;
						}
						catch (RuntimeException ex) {
							return ex;
						}
					});
				Thread.sleep(300);
				server.freeze();
				try {
					assertThat(waiter.get(10, java.util.concurrent.TimeUnit.SECONDS))
						.isInstanceOf(LockUnavailableException.class);
					assertThat(meters.get("redis.starter.deadlines.expired").tag("capability", "lock").counter().count())
						.as("the failed waiter left the waiter count without waiting for it").isEqualTo(1);
				}
				finally {
					server.thaw();
				}
			}
			finally {
				access.close();
				factory.destroy();
			}
		}
	}

	@Test
	void aLockTakenByATryWhoseReplyWasLostToAConnectionResetIsReleasedOnceRedisAnswersAgain() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(proxy.host(), proxy.port());
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = connected(factory, ResilienceSettings.DEFAULTS.withCircuit(100, Duration.ofSeconds(1)), meters);
			try (RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofSeconds(3)),
					new KeyNaming(""), LockSettings.DEFAULTS, new LockMetrics(meters))) {
				// Loads acquire.lua on the server, so that the try below runs as EVALSHA.
				lock.tryAcquire("warm-up", Duration.ZERO).orElseThrow().release();
				proxy.setLatency(Duration.ofMillis(500)).set(Fault.LATENCY);
				CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
					try {
						lock.tryAcquire("order-8", Duration.ofSeconds(2), Duration.ofMinutes(10));
						return null;
					}
					catch (RuntimeException ex) {
						return ex;
					}
				});
				long ran = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				while (server.command("GET", "lock:{order-8}") == null && System.nanoTime() < ran) {
					LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
				}
				assertThat(server.command("GET", "lock:{order-8}")).as("the try ran; its reply is held back").isNotNull();
				proxy.set(Fault.RESET);
				assertThat(waiter.get(10, TimeUnit.SECONDS)).as("the reply is lost with the connection")
					.isInstanceOf(LockUnavailableException.class);
				proxy.set(Fault.PASS);

				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				while (Long.valueOf(1).equals(server.command("EXISTS", "lock:{order-8}")) && System.nanoTime() < deadline) {
					LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
				}
				assertThat(server.command("EXISTS", "lock:{order-8}"))
					.as("released once Redis answers, not held by nobody for its 10 min lease").isEqualTo(0L);
			}
			finally {
				access.close();
				factory.destroy();
			}
		}
	}

	@Test
	void aTrySentAgainAfterAResetThatFindsTheLockTakenByItsFirstRunGetsItWithinItsWait() throws Exception {
		trySentAgainAfterAReset(Duration.ofSeconds(2));
	}

	@Test
	void aTryWithoutWaitingSentAgainAfterAResetThatFindsTheLockTakenByItsFirstRunGetsIt() throws Exception {
		trySentAgainAfterAReset(Duration.ZERO);
	}

	private void trySentAgainAfterAReset(Duration wait) throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(proxy.host(), proxy.port());
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			RedisAccess access = connected(factory, ResilienceSettings.DEFAULTS.withCircuit(100, Duration.ofSeconds(1)), meters);
			try (RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofSeconds(3)),
					new KeyNaming(""), LockSettings.DEFAULTS, new LockMetrics(meters))) {
				lock.tryAcquire("warm-up", Duration.ZERO).orElseThrow().release();
				proxy.setLatency(Duration.ofMillis(500)).set(Fault.LATENCY);
				// Another call in flight ahead of the try: a reset fails the first command waiting for its reply, and
				// Lettuce sends the ones behind it again on its new connection (at least once).
				CompletableFuture<?> ahead = CompletableFuture.runAsync(() -> {
					try {
						lock.tryAcquire("ahead", Duration.ZERO);
					}
					catch (RuntimeException ex) {
						// failed with the reset
					}
				});
				long sent = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				while (server.command("GET", "lock:{ahead}") == null && System.nanoTime() < sent) {
					LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
				}
				long start = System.nanoTime();
				CompletableFuture<Object> waiter = CompletableFuture.supplyAsync(() -> {
					try {
						return lock.tryAcquire("order-9", wait, Duration.ofSeconds(20));
					}
					catch (RuntimeException ex) {
						return ex;
					}
				});
				long ran = System.nanoTime() + Duration.ofSeconds(5).toNanos();
				while (server.command("GET", "lock:{order-9}") == null && System.nanoTime() < ran) {
					LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
				}
				proxy.set(Fault.RESET);
				Thread.sleep(20);
				proxy.set(Fault.PASS);
				ahead.get(10, TimeUnit.SECONDS);

				Object outcome = waiter.get(30, TimeUnit.SECONDS);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within its wait, not its 20 s lease (%s)", outcome)
					.isLessThan(Duration.ofSeconds(5));
				assertThat(outcome).isInstanceOf(Optional.class);
				LockLease taken = ((Optional<?>) outcome).map(LockLease.class::cast).orElseThrow();
				assertThat(taken.fencingToken()).as("its first run's token")
					.isEqualTo(Long.parseLong(String.valueOf(server.command("GET", "lock:{order-9}:fence"))));
				assertThat(taken.release()).isTrue();
			}
			finally {
				access.close();
				factory.destroy();
			}
		}
	}

	private static RedisAccess connected(LettuceConnectionFactory factory, ResilienceSettings settings,
			SimpleMeterRegistry meters) {
		RedisAccess access = new RedisAccess(factory, settings, meters).start();
		access.awaitConnection(Duration.ofSeconds(10));
		return access;
	}

}
