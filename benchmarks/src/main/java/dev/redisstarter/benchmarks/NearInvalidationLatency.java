package dev.redisstarter.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.cache.RedisCacheService;
import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;

/**
 * How long a write on one instance stays invisible to a reader on another that holds a near-cached copy: the
 * starter's near cache and Redisson's {@link RLocalCachedMap}, side by side on one Redis. Two instances (each
 * with connections of its own); a reader thread reads the key in a loop and notes when it first sees each new
 * value (about every 50 us, so as not to take a core from Redis on a small machine); the writer writes the next
 * value 2 ms after the last was seen. The latency is from the write's return
 * to the reader's first sight of it (negative: seen before the writer's call returned).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.redisstarter.benchmarks.NearInvalidationLatency [writes]}
 */
public final class NearInvalidationLatency {

	private NearInvalidationLatency() {
	}

	public static void main(String[] args) throws Exception {
		int writes = (args.length > 0) ? Integer.parseInt(args[0]) : 2_000;
		try (BenchmarkRedis redis = new BenchmarkRedis()) {
			System.out.println(row("starter near cache", starter(redis, writes)));
			System.out.println(row("Redisson RLocalCachedMap", redisson(redis, writes)));
		}
	}

	private static long[] starter(BenchmarkRedis redis, int writes) throws Exception {
		JsonCodec codec = new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null));
		LettuceConnectionFactory writerFactory = redis.connectionFactory();
		LettuceConnectionFactory readerFactory = redis.connectionFactory();
		KeyNaming keys = new KeyNaming("latency:");
		try (RedisCacheService writer = new RedisCacheService(writerFactory, keys, codec, NearCacheBenchmark.NEAR);
				RedisCacheService reader = new RedisCacheService(readerFactory, keys, codec, NearCacheBenchmark.NEAR)) {
			Thread.sleep(1_000);
			return measure(writes, (value) -> writer.set("products:latency", value, Duration.ofMinutes(10)),
					() -> reader.get("products:latency", Integer.class).orElse(-1));
		}
		finally {
			writerFactory.destroy();
			readerFactory.destroy();
		}
	}

	private static long[] redisson(BenchmarkRedis redis, int writes) throws Exception {
		RedissonClient writerClient = redis.redisson();
		RedissonClient readerClient = redis.redisson();
		try {
			RLocalCachedMap<String, Integer> writer = writerClient
				.getLocalCachedMap(LocalCachedMapOptions.<String, Integer>name("latency").cacheSize(10_000));
			RLocalCachedMap<String, Integer> reader = readerClient
				.getLocalCachedMap(LocalCachedMapOptions.<String, Integer>name("latency").cacheSize(10_000));
			Thread.sleep(1_000);
			return measure(writes, (value) -> writer.fastPut("products:latency", value), () -> {
				Integer value = reader.get("products:latency");
				return (value != null) ? value : -1;
			});
		}
		finally {
			writerClient.shutdown();
			readerClient.shutdown();
		}
	}

	/** Latencies in ns of each write after the warm-up fifth, sorted. */
	private static long[] measure(int writes, IntConsumer write, IntSupplier read) throws InterruptedException {
		AtomicLongArray seen = new AtomicLongArray(writes + 1);
		AtomicBoolean running = new AtomicBoolean(true);
		Thread readerThread = new Thread(() -> {
			int last = -1;
			while (running.get()) {
				int value = read.getAsInt();
				if (value != last && value > 0 && value <= writes) {
					seen.compareAndSet(value, 0, System.nanoTime());
					last = value;
				}
				// Reads every ~50 us rather than spinning: a spinning reader takes a core from Redis and the I/O threads.
				java.util.concurrent.locks.LockSupport.parkNanos(20_000);
			}
		}, "near-reader");
		readerThread.start();
		long[] returned = new long[writes + 1];
		for (int value = 1; value <= writes; value++) {
			write.accept(value);
			returned[value] = System.nanoTime();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
			while (seen.get(value) == 0 && System.nanoTime() < deadline) {
				Thread.onSpinWait();
			}
			if (seen.get(value) == 0) {
				throw new IllegalStateException("Write " + value + " was not seen within 2 s");
			}
			// Let the reader hold the value locally again before the next write.
			Thread.sleep(2);
		}
		running.set(false);
		readerThread.join();
		int warmUp = writes / 5;
		long[] latencies = new long[writes - warmUp];
		for (int value = warmUp + 1; value <= writes; value++) {
			latencies[value - warmUp - 1] = seen.get(value) - returned[value];
		}
		Arrays.sort(latencies);
		return latencies;
	}

	private static String row(String name, long[] sorted) {
		return String.format(Locale.ROOT, "%-26s n=%d  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms",
				name, sorted.length, millis(sorted, 50), millis(sorted, 90), millis(sorted, 99), millis(sorted, 99.9),
				sorted[sorted.length - 1] / 1e6);
	}

	private static double millis(long[] sorted, double percentile) {
		int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

}
