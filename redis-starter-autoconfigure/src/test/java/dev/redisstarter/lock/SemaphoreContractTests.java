package dev.redisstarter.lock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.RedisServer;
import dev.redisstarter.test.schedule.JvmProcess;
import dev.redisstarter.test.schedule.JvmSpec;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The semaphore's behaviour, run against each topology by a subclass. */
abstract class SemaphoreContractTests {

	static final KeyNaming KEYS = new KeyNaming("semtest:");

	private static final LockSettings SETTINGS = LockSettings.DEFAULTS.withPollInterval(Duration.ofMillis(20));

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private final List<RedisSemaphore> semaphores = new ArrayList<>();

	abstract RedisDeployment deployment();

	@AfterEach
	void close() {
		this.semaphores.forEach(RedisSemaphore::close);
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	/** A semaphore service with connections of its own, standing in for one application instance. */
	RedisSemaphore instance(LockSettings settings) {
		LettuceConnectionFactory factory = ConnectionFactories.lettuce(deployment());
		this.factories.add(factory);
		RedisSemaphore semaphore = new RedisSemaphore(factory, KEYS, settings, 3, new LockMetrics(new SimpleMeterRegistry()));
		this.semaphores.add(semaphore);
		return semaphore;
	}

	RedisSemaphore instance() {
		return instance(SETTINGS);
	}

	static String uniqueName() {
		return "sem-" + UUID.randomUUID();
	}

	@Test
	void permitsInUseNeverExceedTheLimitUnderThirtyTwoThreadsOverThreeInstances() throws Exception {
		List<RedisSemaphore> instances = List.of(instance(), instance(), instance());
		String name = uniqueName();
		int limit = 4;
		AtomicInteger inUse = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		AtomicInteger acquisitions = new AtomicInteger();
		long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(32);
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < 32; t++) {
				RedisSemaphore semaphore = instances.get(t % 3);
				workers.add(pool.submit(() -> {
					while (System.nanoTime() < end) {
						int permits = 1 + ThreadLocalRandom.current().nextInt(2);
						semaphore.tryAcquire(name, limit, permits, Duration.ofSeconds(10), Duration.ofSeconds(10))
							.ifPresent((lease) -> {
								try (lease) {
									most.accumulateAndGet(inUse.addAndGet(permits), Math::max);
									Thread.sleep(1);
									acquisitions.incrementAndGet();
									inUse.addAndGet(-permits);
								}
								catch (InterruptedException ex) {
									Thread.currentThread().interrupt();
								}
							});
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(acquisitions.get()).isPositive();
		assertThat(most.get()).as("most permits in use at once").isLessThanOrEqualTo(limit).isGreaterThan(1);
		assertThat(instances.get(0).available(name, limit)).as("all back").isEqualTo(limit);
	}

	@Test
	void permitsOfAKilledHolderProcessComeBackWithinOneLease(@TempDir Path logs) throws Exception {
		RedisSemaphore survivor = instance();
		String name = uniqueName();
		List<String> where = (deployment() instanceof RedisCluster cluster) ? List.of("cluster", cluster.seedNodes())
				: List.of("standalone", ((RedisServer) deployment()).host(),
						Integer.toString(((RedisServer) deployment()).port()));
		List<String> args = new ArrayList<>(where);
		args.addAll(List.of(name, "3"));
		try (JvmProcess holder = JvmProcess
			.start(JvmSpec.of("permit-holder", PermitHolderProcess.class).withArgs(args.toArray(String[]::new)), logs)) {
			holder.awaitOutput("holding", Duration.ofSeconds(60));
			// Its watchdog keeps the 1 s leases past their length while it lives.
			Thread.sleep(1500);
			assertThat(survivor.available(name, 3)).as("held by the live process").isZero();
			holder.kill();
			long start = System.nanoTime();
			Optional<PermitLease> taken = survivor.tryAcquire(name, 3, 3, Duration.ofSeconds(5));
			assertThat(taken).as("every permit back").isPresent();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within one lease of the kill")
				.isLessThan(Duration.ofMillis(1500));
			taken.get().release();
		}
	}

	@Test
	void theLimitIsReachedAndAFurtherCallerWaitsForARelease() throws Exception {
		RedisSemaphore one = instance();
		RedisSemaphore two = instance();
		String name = uniqueName();
		PermitLease first = one.tryAcquire(name, 3, 2, Duration.ZERO).orElseThrow();
		PermitLease second = two.tryAcquire(name, Duration.ZERO).orElseThrow();
		assertThat(one.available(name, 3)).isZero();
		assertThat(two.tryAcquire(name, Duration.ofMillis(100))).isEmpty();
		CompletableFuture.runAsync(() -> {
			sleep(200);
			first.release();
		});
		long start = System.nanoTime();
		Optional<PermitLease> third = two.tryAcquire(name, 3, 2, Duration.ofSeconds(5));
		assertThat(third).as("two permits freed by the other instance").isPresent();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		third.get().release();
		second.release();
	}

	@Test
	void permitsOfAHolderThatStoppedRenewingComeBackWhenItsLeaseEnds() {
		RedisSemaphore doomed = instance(SETTINGS.withDefaultLease(Duration.ofMillis(600)));
		RedisSemaphore survivor = instance();
		String name = uniqueName();
		assertThat(doomed.tryAcquire(name, 3, 3, Duration.ZERO)).isPresent();
		// Dies holding them: its renewal stops and its connection closes; it never gives them back.
		doomed.close();
		this.factories.get(0).destroy();
		assertThat(survivor.available(name, 3)).isZero();
		long start = System.nanoTime();
		Optional<PermitLease> taken = survivor.tryAcquire(name, 3, 3, Duration.ofSeconds(5));
		assertThat(taken).isPresent();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within one lease, give or take a renewal")
			.isLessThan(Duration.ofMillis(1500));
		taken.get().release();
	}

	@Test
	void aReleaseByAHolderWhoseLeaseEndedIsRefusedAndFreesNoOtherHoldersPermits() throws Exception {
		RedisSemaphore one = instance();
		RedisSemaphore two = instance();
		String name = uniqueName();
		PermitLease stale = one.tryAcquire(name, 3, 3, Duration.ZERO, Duration.ofMillis(100)).orElseThrow();
		PermitLease current = two.tryAcquire(name, 3, 3, Duration.ofSeconds(2)).orElseThrow();
		assertThat(stale.isHeld()).isFalse();
		assertThat(stale.extend(Duration.ofSeconds(10))).as("never revived").isFalse();
		assertThat(stale.release()).as("refused").isFalse();
		assertThat(current.isHeld()).isTrue();
		assertThat(two.available(name, 3)).as("the current holder's permits untouched").isZero();
		assertThat(current.release()).isTrue();
		assertThat(current.release()).as("given back once").isFalse();
		assertThat(two.available(name, 3)).isEqualTo(3);
	}

	@Test
	void theWatchdogKeepsPermitsWellPastTheirLease() throws Exception {
		RedisSemaphore holder = instance(SETTINGS.withDefaultLease(Duration.ofMillis(300)));
		RedisSemaphore other = instance();
		String name = uniqueName();
		try (PermitLease lease = holder.tryAcquire(name, 1, 1, Duration.ZERO).orElseThrow()) {
			Thread.sleep(1000);
			assertThat(lease.isHeld()).isTrue();
			assertThat(other.tryAcquire(name, 1, 1, Duration.ZERO)).isEmpty();
		}
		assertThat(other.available(name, 1)).isEqualTo(1);
	}

	@Test
	void withPermitThrowsNamingTheSemaphoreWhenNoPermitIsFree() {
		RedisSemaphore semaphore = instance();
		String name = uniqueName();
		List<PermitLease> all = List.of(semaphore.tryAcquire(name, Duration.ZERO).orElseThrow(),
				semaphore.tryAcquire(name, Duration.ZERO).orElseThrow(), semaphore.tryAcquire(name, Duration.ZERO).orElseThrow());
		assertThatExceptionOfType(PermitsNotAcquiredException.class)
			.isThrownBy(() -> semaphore.withPermit(name, Duration.ofMillis(50), () -> "never"))
			.isInstanceOf(LockNotAcquiredException.class)
			.satisfies((ex) -> assertThat(ex.getLockName()).isEqualTo(name))
			.withMessageContaining("1 of the 3 permits");
		all.forEach(PermitLease::release);
		assertThat(semaphore.withPermit(name, Duration.ZERO, () -> "ran")).isEqualTo("ran");
	}

	@Test
	void askingForMorePermitsThanTheLimitIsRefused() {
		RedisSemaphore semaphore = instance();
		assertThatIllegalArgumentException().isThrownBy(() -> semaphore.tryAcquire("s", 2, 3, Duration.ZERO))
			.withMessageContaining("must be 1 to 2");
		assertThatIllegalArgumentException().isThrownBy(() -> semaphore.tryAcquire("s", 0, 1, Duration.ZERO));
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}


	@Test
	void anInterruptedCallerGetsNoPermitsAndLeavesNoneHeldByNobody() throws Exception {
		RedisSemaphore semaphore = instance();
		String name = uniqueName();
		// A task cancelled with cancel(true): its thread asks with its interrupt flag set.
		assertThat(ReadWriteLockContractTests
			.interrupted(() -> semaphore.tryAcquire(name, 2, 2, Duration.ofSeconds(1), Duration.ofMinutes(10))))
			.as("an interrupted caller gives up").isEqualTo(Optional.empty());
		assertThat(semaphore.available(name, 2)).as("no permits left behind for 10 min").isEqualTo(2);
	}

	/**
	 * A cancelled (interrupted) holder gives its permits back in Redis all the same, its flag kept: they are free at
	 * once for another instance, not held for the lease (LeaseLife.releaseEvenIfInterrupted).
	 */
	@Test
	void permitsReleasedByAnInterruptedThreadAreFreeAtOnceWithTheInterruptKept() {
		RedisSemaphore semaphore = instance();
		RedisSemaphore other = instance();
		String name = uniqueName();
		PermitLease held = semaphore.tryAcquire(name, 2, 2, Duration.ZERO, Duration.ofSeconds(30)).orElseThrow();
		boolean released;
		Thread.currentThread().interrupt();
		try {
			released = held.release();
			assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(released).isTrue();
		assertThat(held.release()).as("released once").isFalse();
		PermitLease taken = other.tryAcquire(name, 2, 2, Duration.ZERO, Duration.ofSeconds(30)).orElse(null);
		assertThat(taken).as("free at once after the interrupted release").isNotNull();
		assertThat(taken.release()).isTrue();
	}

}
