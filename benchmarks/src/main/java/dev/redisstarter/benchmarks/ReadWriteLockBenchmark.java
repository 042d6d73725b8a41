package dev.redisstarter.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.api.RLock;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.api.RReadWriteLock;
import org.redisson.api.RSemaphore;
import org.redisson.api.RedissonClient;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.lock.LockMetrics;
import dev.redisstarter.lock.LockSettings;
import dev.redisstarter.lock.PermitLease;
import dev.redisstarter.lock.RedisReadWriteLock;
import dev.redisstarter.lock.RedisSemaphore;

/**
 * Acquire plus release, per operation, of the starter's read/write lock and semaphore beside Redisson's: a read lease
 * on one name shared by every thread (readers share: no waiting) against {@code RReadWriteLock.readLock()}; a write
 * lease on each thread's own name against {@code RReadWriteLock.writeLock()}; and one permit of a semaphore with more
 * permits than threads against {@code RSemaphore} (permits without a lease: a crashed holder's never come back) and
 * {@code RPermitExpirableSemaphore} (a lease per permit, as the starter's). Each with a 30 s lease where it has one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReadWriteLockBenchmark {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final int PERMITS = 1000;

	private final AtomicInteger threads = new AtomicInteger();

	private BenchmarkRedis redis;

	private LettuceConnectionFactory factory;

	private RedisReadWriteLock starterLocks;

	private RedisSemaphore starterSemaphores;

	private RedissonClient redisson;

	private RReadWriteLock redissonShared;

	private RSemaphore redissonSemaphore;

	private RPermitExpirableSemaphore redissonExpirable;

	@Setup
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.factory = this.redis.connectionFactory();
		KeyNaming keys = new KeyNaming("bench:");
		this.starterLocks = new RedisReadWriteLock(this.factory, keys, LockSettings.DEFAULTS,
				new LockMetrics(new SimpleMeterRegistry()));
		this.starterSemaphores = new RedisSemaphore(this.factory, keys, LockSettings.DEFAULTS, PERMITS,
				new LockMetrics(new SimpleMeterRegistry()));
		this.redisson = this.redis.redisson();
		this.redissonShared = this.redisson.getReadWriteLock("redisson-rw-shared");
		this.redissonSemaphore = this.redisson.getSemaphore("redisson-semaphore");
		this.redissonSemaphore.delete();
		this.redissonSemaphore.trySetPermits(PERMITS);
		this.redissonExpirable = this.redisson.getPermitExpirableSemaphore("redisson-expirable");
		this.redissonExpirable.delete();
		this.redissonExpirable.trySetPermits(PERMITS);
	}

	@TearDown
	public void tearDown() {
		this.redisson.shutdown();
		this.starterSemaphores.close();
		this.starterLocks.close();
		this.factory.destroy();
		this.redis.close();
	}

	/** Each thread's own lock name, and Redisson's handle on it. */
	@State(Scope.Thread)
	public static class PerThread {

		String name;

		RLock redissonOwnWrite;

		@Setup
		public void setUp(ReadWriteLockBenchmark benchmark) {
			this.name = "rw-" + benchmark.threads.incrementAndGet();
			this.redissonOwnWrite = benchmark.redisson.getReadWriteLock("redisson-" + this.name).writeLock();
		}

	}

	@Benchmark
	public long starterReadShared() {
		try (LockLease lease = this.starterLocks.tryReadLock("shared", WAIT, LEASE).orElseThrow()) {
			return lease.fencingToken();
		}
	}

	@Benchmark
	public boolean redissonReadShared() throws InterruptedException {
		RLock read = this.redissonShared.readLock();
		if (!read.tryLock(WAIT.toMillis(), LEASE.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("not acquired");
		}
		read.unlock();
		return true;
	}

	@Benchmark
	public long starterWriteUncontended(PerThread thread) {
		try (LockLease lease = this.starterLocks.tryWriteLock(thread.name, Duration.ZERO, LEASE).orElseThrow()) {
			return lease.fencingToken();
		}
	}

	@Benchmark
	public boolean redissonWriteUncontended(PerThread thread) throws InterruptedException {
		if (!thread.redissonOwnWrite.tryLock(0, LEASE.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("not acquired");
		}
		thread.redissonOwnWrite.unlock();
		return true;
	}

	@Benchmark
	public int starterSemaphore() {
		try (PermitLease lease = this.starterSemaphores.tryAcquire("semaphore", PERMITS, 1, WAIT, LEASE).orElseThrow()) {
			return lease.permits();
		}
	}

	@Benchmark
	public boolean redissonSemaphore() throws InterruptedException {
		if (!this.redissonSemaphore.tryAcquire(1, WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("not acquired");
		}
		this.redissonSemaphore.release();
		return true;
	}

	@Benchmark
	public String redissonPermitExpirableSemaphore() throws InterruptedException {
		String permit = this.redissonExpirable.tryAcquire(WAIT.toMillis(), LEASE.toMillis(), TimeUnit.MILLISECONDS);
		if (permit == null) {
			throw new IllegalStateException("not acquired");
		}
		this.redissonExpirable.release(permit);
		return permit;
	}

}
