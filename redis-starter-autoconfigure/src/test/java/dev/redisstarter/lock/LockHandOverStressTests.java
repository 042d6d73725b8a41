package dev.redisstarter.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hand-offs under random short waits and interrupts, over several instances: never two holders, tokens strictly
 * increasing in holding order, no lock left held by nobody and no waiter count left in Redis afterwards.
 */
class LockHandOverStressTests {

	private final LocalRedisServer server = LocalRedisServer.builder().build();

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private final List<RedisAccess> accesses = new ArrayList<>();

	private final List<RedisDistributedLock> locks = new ArrayList<>();

	@BeforeEach
	void start() {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.locks.forEach(RedisDistributedLock::close);
		this.accesses.forEach(RedisAccess::close);
		this.factories.forEach(LettuceConnectionFactory::destroy);
		this.server.close();
	}

	private RedisDistributedLock instance() {
		return instance(LockSettings.DEFAULTS.withPollInterval(Duration.ofMillis(50)));
	}

	private RedisDistributedLock instance(LockSettings settings) {
		LettuceConnectionFactory factory = ConnectionFactories.lettuce(this.server, Duration.ofSeconds(2));
		this.factories.add(factory);
		RedisAccess access = RedisAccess.of(factory);
		this.accesses.add(access);
		RedisDistributedLock lock = new RedisDistributedLock(access.calls(Feature.LOCK, Duration.ofSeconds(1)),
				new KeyNaming(""), settings,
				new LockMetrics(new SimpleMeterRegistry()));
		this.locks.add(lock);
		return lock;
	}

	@Test
	void waitersThatTimeOutOrAreInterruptedNeverLeaveTheLockHeldByNobodyTwoHoldersOrACount() throws Exception {
		List<RedisDistributedLock> instances = List.of(instance(), instance(), instance());
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		AtomicInteger acquired = new AtomicInteger();
		AtomicInteger gaveUp = new AtomicInteger();
		AtomicInteger failures = new AtomicInteger();
		ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
		List<Long> tokens = new ArrayList<>();
		AtomicBoolean stop = new AtomicBoolean();
		int threads = 24;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		// Each worker's thread while it is inside tryAcquire, interrupted at most once per call (as a cancelled task is).
		List<java.util.concurrent.atomic.AtomicReference<Thread>> acquiring = new java.util.concurrent.CopyOnWriteArrayList<>();
		long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				RedisDistributedLock lock = instances.get(t % instances.size());
				futures.add(pool.submit(() -> {
					java.util.concurrent.atomic.AtomicReference<Thread> mine = new java.util.concurrent.atomic.AtomicReference<>();
					acquiring.add(mine);
					while (System.nanoTime() < end) {
						ThreadLocalRandom random = ThreadLocalRandom.current();
						Duration wait = Duration.ofMillis(random.nextInt(1, 40));
						Optional<LockLease> lease;
						try {
							mine.set(Thread.currentThread());
							try {
								lease = lock.tryAcquire("job", wait, Duration.ofSeconds(30));
							}
							finally {
								synchronized (mine) {
									mine.set(null);
								}
							}
						}
						catch (Throwable ex) {
							// An interrupt, also one while waiting for Redis, is not a failure of Redis.
							unexpected.add(ex);
							continue;
						}
						Thread.interrupted();
						if (lease.isEmpty()) {
							gaveUp.incrementAndGet();
							continue;
						}
						try {
							if (inside.incrementAndGet() != 1) {
								overlaps.incrementAndGet();
							}
							synchronized (tokens) {
								tokens.add(lease.get().fencingToken());
							}
							acquired.incrementAndGet();
							if (random.nextInt(4) == 0) {
								Thread.sleep(random.nextInt(0, 3));
							}
							inside.decrementAndGet();
						}
						catch (InterruptedException ex) {
							inside.decrementAndGet();
						}
						finally {
							try {
								lease.get().release();
							}
							catch (LockUnavailableException ex) {
								failures.incrementAndGet();
							}
							Thread.interrupted();
						}
					}
					return null;
				}));
			}
			Thread interrupter = new Thread(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				while (!stop.get()) {
					if (!acquiring.isEmpty()) {
						java.util.concurrent.atomic.AtomicReference<Thread> target = acquiring.get(random.nextInt(acquiring.size()));
						synchronized (target) {
							Thread thread = target.getAndSet(null);
							if (thread != null) {
								thread.interrupt();
							}
						}
					}
					try {
						Thread.sleep(random.nextInt(1, 5));
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			interrupter.start();
			for (Future<?> future : futures) {
				future.get(1, TimeUnit.MINUTES);
			}
			stop.set(true);
			interrupter.join();
		}
		finally {
			stop.set(true);
			pool.shutdownNow();
		}
		assertThat(unexpected).as("failures of callers interrupted while waiting").isEmpty();
		assertThat(failures.get()).as("failed releases").isZero();
		assertThat(overlaps.get()).as("holders at once").isZero();
		assertThat(acquired.get()).isPositive();
		assertThat(gaveUp.get()).isPositive();
		for (int i = 1; i < tokens.size(); i++) {
			assertThat(tokens.get(i)).as("token %d, in holding order", i).isGreaterThan(tokens.get(i - 1));
		}
		// Locks handed to callers that gave up, and late acquisitions, are released in the background.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.server.command("EXISTS", "lock:{job}"))
			.as("no lock held by nobody (acquired %d, gave up %d, failed %d)", acquired.get(), gaveUp.get(), failures.get())
			.isEqualTo(0L));
		// Not awaited: a count left over would expire by itself about a second after the longest wait.
		Thread.sleep(200);
		assertThat(this.server.command("GET", "lock:{job}:waiters")).as("no waiter count left").isNull();
	}

	@Test
	void anotherInstancesWaiterIsCountedAgainAfterTheWaiterCountWasLostAndIsNotStarvedByHandOffs() throws Exception {
		RedisDistributedLock busy = instance(LockSettings.DEFAULTS);
		RedisDistributedLock other = instance(LockSettings.DEFAULTS);
		LockLease held = busy.tryAcquire("job", Duration.ZERO, Duration.ofSeconds(30)).orElseThrow();
		CompletableFuture<Optional<LockLease>> there = CompletableFuture
			.supplyAsync(() -> other.tryAcquire("job", Duration.ofSeconds(6), Duration.ofSeconds(30)));
		CompletableFuture<Void> here = CompletableFuture.runAsync(
				() -> busy.tryAcquire("job", Duration.ofSeconds(6), Duration.ofSeconds(30)).ifPresent(LockLease::release));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> "2".equals(String.valueOf(this.server.command("GET", "lock:{job}:waiters"))));
		// Lost as on a restart without persistence, an eviction or a failover: both waiters still wait.
		this.server.command("DEL", "lock:{job}:waiters");
		AtomicBoolean stop = new AtomicBoolean();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			for (int t = 0; t < 8; t++) {
				pool.submit(() -> {
					while (!stop.get()) {
						busy.tryAcquire("job", Duration.ofSeconds(30)).ifPresent(LockLease::release);
					}
					return null;
				});
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> busy.queuedLocally("job") > 0);
			held.release();
			here.get(5, TimeUnit.SECONDS);

			Optional<LockLease> taken = there.get(10, TimeUnit.SECONDS);
			assertThat(taken).as("the other instance's waiter, while this one hands the lock round").isPresent();
			taken.get().release();
		}
		finally {
			stop.set(true);
			pool.shutdown();
			assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
		}
	}

}
