package dev.redisstarter.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterQueueAutoConfiguration;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.messaging.queue.JobQueue;

/**
 * A single enqueue through the public API ({@link JobQueue#enqueue}, from a producer-only application context)
 * against raw Lettuce sending {@code enqueue.lua} with one job, the same keys and the same arguments, its payload
 * encoded by Jackson as the starter encodes it: what the starter's call costs on top of the client. Each thread
 * enqueues to one queue shared by all (the starter sends the enqueues that overlap together; raw Lettuce one script
 * per job). The queues are emptied after each iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnqueueCallBenchmark {

	private static final KeyNaming KEYS = new KeyNaming("bench:");

	private static final String[] FIXED_KEYS = { "ready", "delayed", "active", "completed", "dead", "signal", "id",
			"paused" };

	private BenchmarkRedis redis;

	private AnnotationConfigApplicationContext context;

	private JobQueue jobs;

	private RedisClient client;

	private StatefulRedisConnection<byte[], byte[]> raw;

	private String enqueueSha;

	private byte[][] rawKeys;

	private byte[] attempts;

	private byte[] backoff;

	private final JsonMapper mapper = JsonMapper.builder().build();

	/** About the benchmark's 118-byte payload. */
	public record Task(long number, String customer, String sku, int quantity, String note) {
	}

	@Setup
	public void setUp() {
		this.redis = new BenchmarkRedis();
		this.context = new AnnotationConfigApplicationContext();
		this.context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("benchmark",
					Map.of("spring.data.redis.url", this.redis.url(), "redis.starter.key-prefix", "bench")));
		this.context.register(ProducerApplication.class);
		this.context.refresh();
		this.jobs = this.context.getBean(JobQueue.class);
		this.client = RedisClient.create(RedisURI.create(this.redis.url()));
		this.raw = this.client.connect(ByteArrayCodec.INSTANCE);
		this.enqueueSha = this.raw.sync()
			.scriptLoad(LuaScript.load("dev/redisstarter/queue/enqueue.lua", List.class).text());
		String base = KEYS.hashTagged(Feature.QUEUE, "raw-bench");
		this.rawKeys = new byte[FIXED_KEYS.length + 1][];
		this.rawKeys[0] = utf8(base);
		for (int i = 0; i < FIXED_KEYS.length; i++) {
			this.rawKeys[i + 1] = utf8(base + ":" + FIXED_KEYS[i]);
		}
		// The attempts and back-off a default job carries, as the starter wrote them.
		String id = this.jobs.enqueue("starter-bench", task(0));
		Map<byte[], byte[]> record = this.raw.sync()
			.hgetall(utf8(KEYS.hashTagged(Feature.QUEUE, "starter-bench") + ":job:" + id));
		record.forEach((field, value) -> {
			String name = new String(field, StandardCharsets.UTF_8);
			if (name.equals("max")) {
				this.attempts = value;
			}
			else if (name.equals("backoff")) {
				this.backoff = value;
			}
		});
	}

	@TearDown(Level.Iteration)
	public void empty() {
		this.raw.sync().flushall();
	}

	@TearDown
	public void tearDown() {
		this.context.close();
		this.raw.close();
		this.client.shutdown();
		this.redis.close();
	}

	private static Task task(long number) {
		return new Task(number, "customer-4711", "SKU-123-456", 3, "leave at the door, ring twice");
	}

	@Benchmark
	public String starterEnqueue() {
		return this.jobs.enqueue("starter-bench", task(System.nanoTime()));
	}

	@Benchmark
	public Object rawLettuceEnqueue() {
		byte[] json = this.mapper.writeValueAsBytes(task(System.nanoTime()));
		byte[][] args = { utf8("1"), utf8(""), utf8(""), utf8("0"), json, utf8("0"), utf8("-1"), utf8("-1"),
				this.attempts, this.backoff, utf8("0"), utf8("0"), utf8("") };
		List<Object> reply = this.raw.sync().evalsha(this.enqueueSha, ScriptOutputType.MULTI, this.rawKeys, args);
		return reply.get(0);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
			RedisStarterQueueAutoConfiguration.class })
	static class ProducerApplication {

	}

}
