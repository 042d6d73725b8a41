package dev.redisstarter.lock;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The read/write lock's behaviour, run against each topology by a subclass. */
abstract class ReadWriteLockContractTests {

	private static final KeyNaming KEYS = new KeyNaming("rwtest:");

	/** Waiters try again at least every 20 ms: the tests measure exclusion and preference, not polling. */
	private static final LockSettings SETTINGS = LockSettings.DEFAULTS.withPollInterval(Duration.ofMillis(20));

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private final List<RedisReadWriteLock> locks = new ArrayList<>();

	abstract RedisDeployment deployment();

	@AfterEach
	void close() {
		this.locks.forEach(RedisReadWriteLock::close);
		this.factories.forEach(LettuceConnectionFactory::destroy);
	}

	/** A lock service with connections of its own, standing in for one application instance. */
	private RedisReadWriteLock instance(LockSettings settings) {
		LettuceConnectionFactory factory = ConnectionFactories.lettuce(deployment());
		this.factories.add(factory);
		RedisReadWriteLock lock = new RedisReadWriteLock(factory, KEYS, settings, new LockMetrics(new SimpleMeterRegistry()));
		this.locks.add(lock);
		return lock;
	}

	private RedisReadWriteLock instance() {
		return instance(SETTINGS);
	}

	private static String uniqueName() {
		return "rw-" + UUID.randomUUID();
	}

	@Test
	void sixtyFourThreadsOverThreeInstancesNeverSeeAWriterWithAnotherWriterOrAReader() throws Exception {
		List<RedisReadWriteLock> instances = List.of(instance(), instance(), instance());
		String name = uniqueName();
		AtomicInteger readers = new AtomicInteger();
		AtomicInteger writers = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		AtomicInteger mostReadersTogether = new AtomicInteger();
		AtomicInteger reads = new AtomicInteger();
		AtomicInteger writes = new AtomicInteger();
		AtomicLong lastToken = new AtomicLong();
		AtomicInteger tokensOutOfOrder = new AtomicInteger();
		long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(64);
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < 64; t++) {
				RedisReadWriteLock lock = instances.get(t % 3);
				workers.add(pool.submit(() -> {
					while (System.nanoTime() < end) {
						boolean write = ThreadLocalRandom.current().nextInt(8) == 0;
						if (write) {
							lock.tryWriteLock(name, Duration.ofSeconds(10), Duration.ofSeconds(10)).ifPresent((lease) -> {
								try (lease) {
									if (writers.incrementAndGet() != 1 || readers.get() != 0) {
										overlaps.incrementAndGet();
									}
									if (lease.fencingToken() <= lastToken.getAndSet(lease.fencingToken())) {
										tokensOutOfOrder.incrementAndGet();
									}
									Thread.onSpinWait();
									writes.incrementAndGet();
									writers.decrementAndGet();
								}
							});
						}
						else {
							lock.tryReadLock(name, Duration.ofSeconds(10), Duration.ofSeconds(10)).ifPresent((lease) -> {
								try (lease) {
									int together = readers.incrementAndGet();
									mostReadersTogether.accumulateAndGet(together, Math::max);
									if (writers.get() != 0) {
										overlaps.incrementAndGet();
									}
									sleep(1);
									reads.incrementAndGet();
									readers.decrementAndGet();
								}
							});
						}
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
		assertThat(writes.get()).as("writes").isPositive();
		assertThat(reads.get()).as("reads").isPositive();
		assertThat(overlaps.get()).as("a writer together with another writer or a reader").isZero();
		assertThat(tokensOutOfOrder.get()).as("write tokens out of order").isZero();
		assertThat(mostReadersTogether.get()).as("readers share the lock").isGreaterThan(1);
	}

	@Test
	void aWriterIsNotStarvedByAContinuousStreamOfOverlappingReaders() throws Exception {
		RedisReadWriteLock readerInstance = instance();
		RedisReadWriteLock otherReaderInstance = instance();
		RedisReadWriteLock writerInstance = instance();
		String name = uniqueName();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger readers = new AtomicInteger();
		AtomicInteger reads = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			for (int t = 0; t < 8; t++) {
				RedisReadWriteLock lock = (t % 2 == 0) ? readerInstance : otherReaderInstance;
				int stagger = t * 5;
				pool.submit(() -> {
					sleep(stagger);
					while (!stop.get()) {
						lock.tryReadLock(name, Duration.ofSeconds(5), Duration.ofSeconds(5)).ifPresent((lease) -> {
							try (lease) {
								readers.incrementAndGet();
								sleep(40);
								reads.incrementAndGet();
								readers.decrementAndGet();
							}
						});
					}
					return null;
				});
			}
			// The readers overlap: from now on the lock always has a reader inside, and a writer without preference
			// would never find it free.
			Thread.sleep(300);
			assertThat(readers.get()).as("readers inside").isPositive();
			Duration wait = Duration.ofSeconds(3);
			long start = System.nanoTime();
			Optional<LockLease> write = writerInstance.tryWriteLock(name, wait, Duration.ofSeconds(5));
			Duration waited = Duration.ofNanos(System.nanoTime() - start);
			assertThat(write).as("the writer got the lock within its wait of " + wait).isPresent();
			assertThat(readers.get()).as("no reader inside with the writer").isZero();
			// About one reader's hold (40 ms) plus polling; bounded well under the wait.
			assertThat(waited).as("the writer's wait").isLessThan(Duration.ofSeconds(2));
			int readsBefore = reads.get();
			write.get().release();
			long readsResume = System.nanoTime();
			while (reads.get() == readsBefore && System.nanoTime() - readsResume < Duration.ofSeconds(3).toNanos()) {
				Thread.sleep(5);
			}
			assertThat(reads.get()).as("readers resume after the writer").isGreaterThan(readsBefore);
		}
		finally {
			stop.set(true);
			pool.shutdown();
			pool.awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void aWaitingWriterStopsNewReadersAndLetsThemInAgainWhenItGivesUp() throws Exception {
		RedisReadWriteLock one = instance();
		RedisReadWriteLock two = instance();
		String name = uniqueName();
		LockLease reading = one.tryReadLock(name, Duration.ZERO, Duration.ofSeconds(10)).orElseThrow();
		assertThat(two.tryReadLock(name, Duration.ZERO, Duration.ofSeconds(10))).as("readers share").isPresent()
			.get().satisfies(LockLease::release);
		CompletableFuture<Optional<LockLease>> writer = CompletableFuture
			.supplyAsync(() -> two.tryWriteLock(name, Duration.ofMillis(800), Duration.ofSeconds(10)));
		Thread.sleep(200);
		// Another thread of the instance (this one's own re-entry would be a nested hold).
		assertThat(CompletableFuture.supplyAsync(() -> one.tryReadLock(name, Duration.ZERO, Duration.ofSeconds(10)))
			.get()
			.map(this::released)).as("a new reader while a writer waits").isEmpty();
		assertThat(writer.get(5, TimeUnit.SECONDS)).as("the writer, blocked by the first reader").isEmpty();
		assertThat(CompletableFuture.supplyAsync(() -> one.tryReadLock(name, Duration.ZERO, Duration.ofSeconds(10)))
			.get()
			.map(this::released)).as("a new reader once the writer gave up").isPresent();
		reading.release();
	}

	@Test
	void aReadHoldIsNotUpgradableToTheWriteLock() {
		RedisReadWriteLock lock = instance();
		String name = uniqueName();
		try (LockLease reading = lock.tryReadLock(name, Duration.ZERO).orElseThrow()) {
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> lock.tryWriteLock(name, Duration.ofSeconds(1)))
				.withMessageContaining("cannot be upgraded");
			try (LockLease nested = lock.tryReadLock(name, Duration.ZERO).orElseThrow()) {
				assertThat(nested.isHeld()).isTrue();
			}
			assertThat(reading.isHeld()).as("a nested read release leaves the outer read").isTrue();
		}
		assertThat(lock.tryWriteLock(name, Duration.ZERO).map(this::released)).as("free after the outer release")
			.isPresent();
	}

	@Test
	void aWriterReentersAndReadsUnderItsWriteLeaseAndOnlyTheOutermostReleaseFreesTheLock() throws Exception {
		RedisReadWriteLock lock = instance();
		RedisReadWriteLock other = instance();
		String name = uniqueName();
		LockLease writing = lock.tryWriteLock(name, Duration.ZERO).orElseThrow();
		try (LockLease again = lock.tryWriteLock(name, Duration.ZERO).orElseThrow();
				LockLease reading = lock.tryReadLock(name, Duration.ZERO).orElseThrow()) {
			assertThat(again.fencingToken()).isEqualTo(writing.fencingToken());
			assertThat(reading.fencingToken()).isEqualTo(writing.fencingToken());
		}
		assertThat(writing.isHeld()).isTrue();
		assertThat(CompletableFuture.supplyAsync(() -> other.tryReadLock(name, Duration.ZERO)).get()).isEmpty();
		writing.release();
		assertThat(other.tryReadLock(name, Duration.ZERO).map(this::released)).isPresent();
	}

	@Test
	void writeTokensStrictlyIncreaseAndAReaderSeesTheLastWritersToken() {
		RedisReadWriteLock lock = instance();
		String name = uniqueName();
		long first;
		try (LockLease write = lock.tryWriteLock(name, Duration.ZERO).orElseThrow()) {
			first = write.fencingToken();
		}
		try (LockLease read = lock.tryReadLock(name, Duration.ZERO).orElseThrow()) {
			assertThat(read.fencingToken()).isEqualTo(first);
		}
		try (LockLease write = lock.tryWriteLock(name, Duration.ZERO).orElseThrow()) {
			assertThat(write.fencingToken()).isGreaterThan(first);
		}
	}

	@Test
	void aDeadReadersLeaseEndsAndTheWriterEntersWithinOneLease() {
		RedisReadWriteLock doomed = instance(SETTINGS.withDefaultLease(Duration.ofMillis(600)));
		RedisReadWriteLock survivor = instance();
		String name = uniqueName();
		assertThat(doomed.tryReadLock(name, Duration.ZERO)).isPresent();
		// Dies without releasing: its renewal stops and its connection closes.
		doomed.close();
		this.factories.get(0).destroy();
		long start = System.nanoTime();
		Optional<LockLease> write = survivor.tryWriteLock(name, Duration.ofSeconds(5), Duration.ofSeconds(5));
		assertThat(write).isPresent();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within one lease, give or take a renewal")
			.isLessThan(Duration.ofMillis(1500));
		write.get().release();
	}

	@Test
	void aDeadWritersLeaseEndsAndReadersEnter() {
		RedisReadWriteLock doomed = instance();
		RedisReadWriteLock survivor = instance();
		String name = uniqueName();
		assertThat(doomed.tryWriteLock(name, Duration.ZERO, Duration.ofMillis(400))).isPresent();
		long start = System.nanoTime();
		Optional<LockLease> read = survivor.tryReadLock(name, Duration.ofSeconds(5), Duration.ofSeconds(5));
		assertThat(read).isPresent();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1200));
		read.get().release();
	}

	@Test
	void aReleaseAfterTheLeaseEndedReturnsFalseAndDisturbsTheNextOwnerNot() throws Exception {
		RedisReadWriteLock lock = instance();
		RedisReadWriteLock other = instance();
		String name = uniqueName();
		LockLease stale = lock.tryReadLock(name, Duration.ZERO, Duration.ofMillis(100)).orElseThrow();
		LockLease write = other.tryWriteLock(name, Duration.ofSeconds(2), Duration.ofSeconds(10)).orElseThrow();
		assertThat(stale.isHeld()).isFalse();
		assertThat(stale.extend(Duration.ofSeconds(10))).as("never revived").isFalse();
		assertThat(stale.release()).isFalse();
		assertThat(write.isHeld()).isTrue();
		LockLease staleWrite = write;
		assertThat(staleWrite.release()).isTrue();
		assertThat(staleWrite.release()).as("released once").isFalse();
	}

	@Test
	void theWatchdogKeepsAReadLeaseWellPastItsLength() throws Exception {
		RedisReadWriteLock lock = instance(SETTINGS.withDefaultLease(Duration.ofMillis(300)));
		RedisReadWriteLock other = instance();
		String name = uniqueName();
		try (LockLease read = lock.tryReadLock(name, Duration.ZERO).orElseThrow()) {
			Thread.sleep(1000);
			assertThat(read.isHeld()).isTrue();
			assertThat(other.tryWriteLock(name, Duration.ZERO)).isEmpty();
		}
		assertThat(other.tryWriteLock(name, Duration.ZERO).map(this::released)).isPresent();
	}

	@Test
	void anInterruptedCallerGetsNoLeaseAndLeavesNoneHeldByNobody() throws Exception {
		RedisReadWriteLock lock = instance();
		RedisReadWriteLock other = instance();
		String name = uniqueName();
		// A task cancelled with cancel(true): its thread asks with its interrupt flag set.
		assertThat(interrupted(() -> lock.tryReadLock(name, Duration.ofSeconds(1), Duration.ofMinutes(10))))
			.as("an interrupted reader gives up").isEqualTo(Optional.empty());
		assertThat(other.tryWriteLock(name, Duration.ofSeconds(1)).map(this::released))
			.as("the write lock, with no read lease left behind for 10 min").isPresent();
		assertThat(interrupted(() -> lock.tryWriteLock(name, Duration.ZERO, Duration.ofMinutes(10))))
			.as("an interrupted writer gives up").isEqualTo(Optional.empty());
		assertThat(other.tryReadLock(name, Duration.ofSeconds(1)).map(this::released))
			.as("a read lease, with no write lease left behind for 10 min").isPresent();
	}

	/** What a call answers (or throws) on a thread whose interrupt flag is set. */
	static Object interrupted(java.util.function.Supplier<?> call) throws InterruptedException {
		java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
		Thread caller = new Thread(() -> {
			Thread.currentThread().interrupt();
			try {
				outcome.set(call.get());
			}
			catch (RuntimeException ex) {
				outcome.set(ex);
			}
		});
		caller.start();
		caller.join(10_000);
		return outcome.get();
	}

	private LockLease released(LockLease lease) {
		lease.release();
		return lease;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A cancelled (interrupted) holder releases its write and read leases in Redis all the same, its flag kept: the
	 * lock is free at once for another instance, not held for the lease (LeaseLife.releaseEvenIfInterrupted).
	 */
	@Test
	void writeAndReadLeasesReleasedByAnInterruptedThreadAreFreeAtOnceWithTheInterruptKept() {
		RedisReadWriteLock lock = instance();
		RedisReadWriteLock other = instance();
		String name = uniqueName();
		for (boolean write : new boolean[] { true, false }) {
			LockLease held = (write ? lock.tryWriteLock(name, Duration.ZERO, Duration.ofSeconds(30))
					: lock.tryReadLock(name, Duration.ZERO, Duration.ofSeconds(30))).orElseThrow();
			boolean released;
			Thread.currentThread().interrupt();
			try {
				released = held.release();
				assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
			}
			finally {
				Thread.interrupted();
			}
			assertThat(released).as("released (write %s)", write).isTrue();
			assertThat(held.release()).as("released once").isFalse();
			LockLease taken = other.tryWriteLock(name, Duration.ZERO, Duration.ofSeconds(30)).orElse(null);
			assertThat(taken).as("free at once after the interrupted release (write %s)", write).isNotNull();
			assertThat(taken.release()).isTrue();
		}
	}

}
