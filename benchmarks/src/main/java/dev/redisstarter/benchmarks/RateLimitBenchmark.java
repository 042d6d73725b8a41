package dev.redisstarter.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.ratelimit.RateLimit;
import dev.redisstarter.ratelimit.RateLimitMetrics;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.ratelimit.RateLimiter;
import dev.redisstarter.ratelimit.RedisRateLimiter;

/**
 * One rate-limit decision per operation, with limits high enough never to reject, each benchmark thread on a
 * key of its own (as many clients would be): the starter's {@link RateLimiter} (token bucket and sliding
 * window), a raw Lettuce {@code EVALSHA} of the same script with the same arguments, Bucket4j's Lettuce
 * proxy manager (token bucket), and Redisson's {@code RRateLimiter}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RateLimitBenchmark {

	static final RateLimit TOKEN_BUCKET = RateLimit.tokenBucket(1_000_000_000L, 1e9);

	static final RateLimit SLIDING_WINDOW = RateLimit.slidingWindow(1_000_000_000_000L, Duration.ofSeconds(1));

	static final KeyNaming KEYS = new KeyNaming("bench:");

	private final AtomicInteger threads = new AtomicInteger();

	private BenchmarkRedis redis;

	private LettuceConnectionFactory factory;

	private RateLimiter limiter;

	private RedisClient client;

	private StatefulRedisConnection<String, String> raw;

	private StatefulRedisConnection<byte[], byte[]> bucket4jConnection;

	private LettuceBasedProxyManager<byte[]> bucket4j;

	private RedissonClient redisson;

	private String decideSha;

	@Setup
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.factory = this.redis.connectionFactory();
		this.limiter = new RedisRateLimiter(new StringRedisTemplate(this.factory), KEYS, new RateLimitMetrics(null));
		this.client = RedisClient.create(RedisURI.create(this.redis.url()));
		this.raw = this.client.connect(StringCodec.UTF8);
		this.decideSha = this.raw.sync()
			.scriptLoad(LuaScript.load("dev/redisstarter/ratelimit/decide.lua", List.class).text());
		this.bucket4jConnection = this.client.connect(ByteArrayCodec.INSTANCE);
		this.bucket4j = Bucket4jLettuce.casBasedBuilder(this.bucket4jConnection)
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
			.build();
		this.redisson = this.redis.redisson();
	}

	@TearDown
	public void tearDown() {
		this.redisson.shutdown();
		this.bucket4jConnection.close();
		this.raw.close();
		this.client.shutdown();
		this.factory.destroy();
		this.redis.close();
	}

	/** What each benchmark thread works on: its own key, and each library's handle for it. */
	@State(Scope.Thread)
	public static class PerThread {

		String key;

		String[] rawKeys;

		String[] rawArgs;

		BucketProxy bucket;

		RRateLimiter redissonLimiter;

		@Setup
		public void setUp(RateLimitBenchmark benchmark) {
			this.key = "client-" + benchmark.threads.incrementAndGet();
			this.rawKeys = new String[] {
					KEYS.hashTagged(dev.redisstarter.core.Feature.RATE_LIMIT, this.key, "raw", "tb"),
					KEYS.hashTagged(dev.redisstarter.core.Feature.RATE_LIMIT, this.key, "raw", "blocked") };
			long windowMicros = TOKEN_BUCKET.window().toNanos() / 1000;
			this.rawArgs = new String[] { "1", "tb", Long.toString(TOKEN_BUCKET.limit()), Long.toString(windowMicros),
					Double.toString((double) TOKEN_BUCKET.limit() / windowMicros), Long.toString(TOKEN_BUCKET.burst()), "0" };
			BucketConfiguration configuration = BucketConfiguration.builder()
				.addLimit((limit) -> limit.capacity(1_000_000_000L).refillGreedy(1_000_000_000L, Duration.ofSeconds(1)))
				.build();
			this.bucket = benchmark.bucket4j.builder()
				.build(("bucket4j:" + this.key).getBytes(StandardCharsets.UTF_8), () -> configuration);
			this.redissonLimiter = benchmark.redisson.getRateLimiter("redisson:" + this.key);
			this.redissonLimiter.trySetRate(RateType.OVERALL, 10_000_000L, Duration.ofSeconds(1));
		}

	}

	@Benchmark
	public RateLimitResult starterTokenBucket(PerThread thread) {
		return allowed(this.limiter.tryAcquire(thread.key, TOKEN_BUCKET));
	}

	@Benchmark
	public RateLimitResult starterSlidingWindow(PerThread thread) {
		return allowed(this.limiter.tryAcquire(thread.key, SLIDING_WINDOW));
	}

	@Benchmark
	public Object rawLettuceEvalshaTokenBucket(PerThread thread) {
		List<Object> reply = this.raw.sync().evalsha(this.decideSha, ScriptOutputType.MULTI, thread.rawKeys, thread.rawArgs);
		if (!Long.valueOf(1).equals(reply.get(0))) {
			throw new IllegalStateException("The raw decision rejected: " + reply);
		}
		return reply;
	}

	@Benchmark
	public boolean bucket4jTokenBucket(PerThread thread) {
		return allowed(thread.bucket.tryConsume(1));
	}

	@Benchmark
	public boolean redissonRateLimiter(PerThread thread) {
		return allowed(thread.redissonLimiter.tryAcquire());
	}

	private static RateLimitResult allowed(RateLimitResult result) {
		if (!result.allowed()) {
			throw new IllegalStateException("The benchmark limit rejected: " + result);
		}
		return result;
	}

	private static boolean allowed(boolean allowed) {
		if (!allowed) {
			throw new IllegalStateException("The benchmark limit rejected");
		}
		return true;
	}

}
