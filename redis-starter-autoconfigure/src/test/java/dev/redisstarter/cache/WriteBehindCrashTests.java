package dev.redisstarter.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault schedule for write-behind: 100,000 writes from three producer instances, the writer's process
 * killed and restarted midway, Redis restarted (AOF, fsync always) midway: the store ends equal to the last write of
 * every key.
 */
@Tag("fault-schedule")
@RealRedis
class WriteBehindCrashTests {

	private static final int WRITES = 100_000;

	private static final int KEYS = 3_000;

	private static final int THREADS_PER_INSTANCE = 2;

	private static final int PARTITIONS = 4;

	private static final long LEASE_MILLIS = 1500;

	@TempDir
	Path directory;

	private final List<Process> writers = new ArrayList<>();

	private final List<LettuceConnectionFactory> factories = new ArrayList<>();

	private final List<RedisCacheService> caches = new ArrayList<>();

	private LocalRedisServer server;

	@AfterEach
	void stop() {
		this.writers.forEach(Process::destroyForcibly);
		this.caches.forEach(RedisCacheService::close);
		this.factories.forEach(LettuceConnectionFactory::destroy);
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void theStoreEndsWithTheLastWriteOfEveryKeyThroughAWriterKillAndARedisRestart() throws Exception {
		this.server = LocalRedisServer.builder().config("appendonly", "yes").config("appendfsync", "always").build().start();
		String prefix = "wbcrash-" + UUID.randomUUID().toString().substring(0, 8) + ":";
		Path store = this.directory.resolve("store.tsv");
		Files.createFile(store);
		startWriter(prefix, store);
		int instances = 3;
		int threads = instances * THREADS_PER_INSTANCE;
		List<RedisCacheService> producers = new ArrayList<>();
		for (int i = 0; i < instances; i++) {
			producers.add(producer(prefix));
		}
		// Each key belongs to one thread, which writes its keys round-robin with growing versions: the last write of a
		// key is well defined, whatever the interleaving of the threads.
		Map<String, Long> expected = new ConcurrentHashMap<>();
		AtomicInteger written = new AtomicInteger();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		List<Thread> running = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			RedisCacheService cache = producers.get(t / THREADS_PER_INSTANCE);
			Thread producer = new Thread(() -> {
				try {
					produce(cache, thread, threads, written, expected);
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}, "producer-" + t);
			running.add(producer);
			producer.start();
		}
		awaitWritten(written, WRITES / 3);
		long persistedBeforeKill = Files.size(store);
		assertThat(persistedBeforeKill).as("the first writer persisted batches before it was killed").isPositive();
		// The writer dies mid-batch, with whatever it read and did not acknowledge: its successor takes over.
		this.writers.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		startWriter(prefix, store);
		awaitWritten(written, 2 * WRITES / 3);
		this.server.stop();
		Thread.sleep(300);
		this.server.start();
		for (Thread producer : running) {
			producer.join(TimeUnit.SECONDS.toMillis(60));
		}
		assertThat(failure.get()).isNull();
		assertThat(Files.size(store)).as("the second writer persisted").isGreaterThan(persistedBeforeKill);
		assertThat(written.get()).isGreaterThanOrEqualTo(WRITES);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		Map<String, Long> stored = read(store);
		while (!stored.equals(expected) && System.nanoTime() < deadline) {
			Thread.sleep(250);
			stored = read(store);
		}
		assertThat(expected).hasSize(KEYS);
		Map<String, String> wrong = new HashMap<>();
		for (Map.Entry<String, Long> last : expected.entrySet()) {
			Long found = stored.get(last.getKey());
			if (!last.getValue().equals(found)) {
				wrong.put(last.getKey(), "stored " + found + ", last written " + last.getValue());
			}
		}
		assertThat(wrong).isEmpty();
		assertThat(stored).hasSameSizeAs(expected);
	}

	private void produce(RedisCacheService cache, int thread, int threads, AtomicInteger written,
			Map<String, Long> expected) throws InterruptedException {
		List<Integer> mine = new ArrayList<>();
		for (int key = thread; key < KEYS; key += threads) {
			mine.add(key);
		}
		// Each key's writes in a row, key after key: keys finish all through the run, so that the last write of many
		// keys comes before the writer's kill or Redis's restart, and only survives them if nothing is lost.
		int perKey = (WRITES / threads + mine.size()) / mine.size();
		for (int key : mine) {
			for (long version = 1; version <= perKey; version++) {
				String name = "products:" + key;
				// Retried until acknowledged: a write refused while Redis restarts was not made (or, with its reply
				// lost, made, and made again with the same value).
				while (true) {
					try {
						cache.set(name, version, Duration.ofHours(1));
						break;
					}
					catch (RuntimeException ex) {
						Thread.sleep(20);
					}
				}
				expected.put(name, version);
				written.incrementAndGet();
			}
		}
	}

	private RedisCacheService producer(String prefix) {
		LettuceConnectionFactory factory = ConnectionFactories.lettuce(this.server);
		this.factories.add(factory);
		WriteBehindPolicy policy = WriteBehindPolicy.DEFAULTS.withPartitions(PARTITIONS, Duration.ofMillis(LEASE_MILLIS));
		RedisCacheService cache = new RedisCacheService(RedisAccess.of(factory).calls(Feature.CACHE, Duration.ofSeconds(2)),
				new KeyNaming(prefix), new JsonCodec(JsonMapper.builder().build(),
						new DecodeFailureReporter(new SimpleMeterRegistry())),
				CacheSettings.DEFAULTS.withTtlJitter(0), CacheMetrics.NONE,
				new WriteBehindSettings(Map.of("products", policy)));
		this.caches.add(cache);
		return cache;
	}

	private void startWriter(String prefix, Path store) throws IOException, InterruptedException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Path log = this.directory.resolve("writer-" + this.writers.size() + ".log");
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				WriteBehindWriterProcess.class.getName(), Integer.toString(this.server.port()), prefix, store.toString(),
				Integer.toString(PARTITIONS), Long.toString(LEASE_MILLIS))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		this.writers.add(process);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!Files.readString(log).contains("READY")) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				throw new IllegalStateException("The writer process did not start:\n" + Files.readString(log));
			}
			Thread.sleep(50);
		}
	}

	private static void awaitWritten(AtomicInteger written, int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (written.get() < count && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
	}

	/** The store's value of each key: its last line. */
	private static Map<String, Long> read(Path store) throws IOException {
		Map<String, Long> values = new HashMap<>();
		for (String line : new String(Files.readAllBytes(store), StandardCharsets.UTF_8).split("\n")) {
			int tab = line.indexOf('\t');
			if (tab > 0) {
				values.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)));
			}
		}
		return values;
	}

}
