package dev.redisstarter.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
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
import org.redisson.api.RedissonClient;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.lock.LockLease;
import dev.redisstarter.lock.LockMetrics;
import dev.redisstarter.lock.LockSettings;
import dev.redisstarter.lock.RedisDistributedLock;

/**
 * Acquire plus release, per operation: uncontended (each thread its own lock name) and contended (every
 * thread on one name, so each operation is a hand-off; at 16 threads the mean time from one release to the
 * next acquisition is about 1 / throughput). The starter's {@link RedisDistributedLock}, Redisson's
 * {@code RLock} and Spring Integration's {@code RedisLockRegistry}, each with a 30 s lease where it has one; and, as
 * the floor for the starter's own client work, raw Lettuce sending the starter's two scripts ({@code acquire.lua},
 * {@code release.lua}) with the same keys and arguments.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LockBenchmark {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** The raw variant's keys: the starter's key layout under a prefix of their own. */
	private static final KeyNaming RAW_KEYS = new KeyNaming("bench-raw:");

	private final AtomicInteger threads = new AtomicInteger();

	private BenchmarkRedis redis;

	private LettuceConnectionFactory factory;

	private RedisDistributedLock starter;

	private RedissonClient redisson;

	private RedisLockRegistry registry;

	private RedisClient client;

	private StatefulRedisConnection<String, String> raw;

	private String acquireSha;

	private String releaseSha;

	private final AtomicLong rawOwners = new AtomicLong();

	@Setup
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.factory = this.redis.connectionFactory();
		this.starter = new RedisDistributedLock(this.factory, new KeyNaming("bench:"), LockSettings.DEFAULTS,
				new LockMetrics(new SimpleMeterRegistry()));
		this.redisson = this.redis.redisson();
		this.registry = new RedisLockRegistry(this.factory, "bench-registry", LEASE);
		this.client = RedisClient.create(RedisURI.create(this.redis.url()));
		this.raw = this.client.connect(StringCodec.UTF8);
		this.acquireSha = this.raw.sync()
			.scriptLoad(LuaScript.load("dev/redisstarter/lock/acquire.lua", List.class).text());
		this.releaseSha = this.raw.sync()
			.scriptLoad(LuaScript.load("dev/redisstarter/lock/release.lua", Long.class).text());
	}

	@TearDown
	public void tearDown() {
		this.raw.close();
		this.client.shutdown();
		this.registry.destroy();
		this.redisson.shutdown();
		this.starter.close();
		this.factory.destroy();
		this.redis.close();
	}

	/** Each thread's own lock name, and each library's handle on it and on the shared name. */
	@State(Scope.Thread)
	public static class PerThread {

		String name;

		RLock redissonOwn;

		RLock redissonShared;

		Lock registryOwn;

		Lock registryShared;

		String[] rawKeys;

		String[] rawReleaseKeys;

		@Setup
		public void setUp(LockBenchmark benchmark) {
			this.name = "lock-" + benchmark.threads.incrementAndGet();
			this.redissonOwn = benchmark.redisson.getLock("redisson-" + this.name);
			this.redissonShared = benchmark.redisson.getLock("redisson-shared");
			this.registryOwn = benchmark.registry.obtain(this.name);
			this.registryShared = benchmark.registry.obtain("shared");
			String key = RAW_KEYS.hashTagged(Feature.LOCK, this.name);
			this.rawKeys = new String[] { key, RAW_KEYS.hashTagged(Feature.LOCK, this.name, "fence"),
					RAW_KEYS.hashTagged(Feature.LOCK, this.name, "waiters") };
			this.rawReleaseKeys = new String[] { key, this.rawKeys[2] };
		}

	}

	@Benchmark
	public long starterUncontended(PerThread thread) {
		try (LockLease lease = this.starter.tryAcquire(thread.name, Duration.ZERO, LEASE).orElseThrow()) {
			return lease.fencingToken();
		}
	}

	@Benchmark
	public Object rawLettuceAcquireReleaseScripts(PerThread thread) {
		String owner = "raw:" + this.rawOwners.incrementAndGet();
		List<Object> acquired = this.raw.sync().evalsha(this.acquireSha, ScriptOutputType.MULTI, thread.rawKeys, owner,
				Long.toString(LEASE.toMillis()), Long.toString(Duration.ofDays(1).toMillis()), "0", "0");
		if (!Long.valueOf(1).equals(acquired.get(0))) {
			throw new IllegalStateException("not acquired: " + acquired);
		}
		Long released = this.raw.sync().evalsha(this.releaseSha, ScriptOutputType.INTEGER, thread.rawReleaseKeys, owner,
				"bench-raw:lock:released", thread.name);
		if (released == null || released == 0) {
			throw new IllegalStateException("not released");
		}
		return acquired.get(1);
	}

	@Benchmark
	public boolean redissonUncontended(PerThread thread) throws InterruptedException {
		if (!thread.redissonOwn.tryLock(0, LEASE.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("not acquired");
		}
		thread.redissonOwn.unlock();
		return true;
	}

	@Benchmark
	public boolean springIntegrationUncontended(PerThread thread) {
		if (!thread.registryOwn.tryLock()) {
			throw new IllegalStateException("not acquired");
		}
		thread.registryOwn.unlock();
		return true;
	}

	@Benchmark
	public long starterContended() {
		try (LockLease lease = this.starter.tryAcquire("shared", WAIT, LEASE).orElseThrow()) {
			return lease.fencingToken();
		}
	}

	@Benchmark
	public boolean redissonContended(PerThread thread) throws InterruptedException {
		if (!thread.redissonShared.tryLock(WAIT.toMillis(), LEASE.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("not acquired");
		}
		thread.redissonShared.unlock();
		return true;
	}

	@Benchmark
	public boolean springIntegrationContended(PerThread thread) throws InterruptedException {
		if (!thread.registryShared.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("not acquired");
		}
		thread.registryShared.unlock();
		return true;
	}

}
