package dev.redisstarter.benchmarks.queue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The harness's own connection to the private server, apart from the sides': flushes it between runs and reads the
 * counters a run is judged by ({@code INFO commandstats}, {@code INFO cpu}), leaving its own {@code INFO} calls out.
 */
final class QueueProbe implements AutoCloseable {

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final RedisCommands<String, String> redis;

	QueueProbe(String host, int port) {
		this.client = RedisClient.create(RedisURI.create(host, port));
		this.connection = this.client.connect();
		this.redis = this.connection.sync();
	}

	void flushAll() {
		this.redis.flushall();
	}

	/** Deletes the keys matching {@code pattern} (a warm-up's queue), by SCAN and UNLINK. */
	long deleteKeys(String pattern) {
		long deleted = 0;
		ScanIterator<String> keys = ScanIterator.scan(this.redis, ScanArgs.Builder.matches(pattern).limit(1000));
		while (keys.hasNext()) {
			deleted += this.redis.unlink(keys.next());
		}
		return deleted;
	}

	long dbSize() {
		return this.redis.dbsize();
	}

	/** Reads the counters now. */
	Counters counters() {
		Map<String, Long> byCommand = new HashMap<>();
		for (String line : this.redis.info("commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_")) {
				String command = line.substring("cmdstat_".length(), line.indexOf(':'));
				int calls = line.indexOf("calls=") + "calls=".length();
				if (!command.equals("info")) {
					byCommand.put(command, Long.parseLong(line.substring(calls, line.indexOf(',', calls))));
				}
			}
		}
		double redisCpu = 0;
		for (String line : this.redis.info("cpu").split("\r?\n")) {
			if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
				redisCpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
			}
		}
		long memory = 0;
		for (String line : this.redis.info("memory").split("\r?\n")) {
			if (line.startsWith("used_memory:")) {
				memory = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
			}
		}
		long gcCount = 0;
		long gcMillis = 0;
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			gcCount += Math.max(0, collector.getCollectionCount());
			gcMillis += Math.max(0, collector.getCollectionTime());
		}
		return new Counters(byCommand, redisCpu, memory, processCpuSeconds(), gcCount, gcMillis, System.nanoTime());
	}

	/** This JVM's CPU time so far, in seconds (NaN when the JVM does not tell). */
	static double processCpuSeconds() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime() / 1e9;
		}
		return Double.NaN;
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

	/**
	 * The server's and this JVM's counters at one moment.
	 * @param byCommand calls per command since the server started, {@code INFO} left out
	 * @param redisCpuSeconds the server's CPU time
	 * @param redisMemoryBytes the server's {@code used_memory}
	 * @param clientCpuSeconds this JVM's CPU time
	 * @param gcCount this JVM's garbage collections
	 * @param gcMillis their time
	 * @param nanoTime when they were read
	 */
	record Counters(Map<String, Long> byCommand, double redisCpuSeconds, long redisMemoryBytes,
			double clientCpuSeconds, long gcCount, long gcMillis, long nanoTime) {

		/** Commands per name run between {@code before} and this. */
		Map<String, Long> commandsSince(Counters before) {
			Map<String, Long> delta = new HashMap<>();
			this.byCommand.forEach((command, calls) -> {
				long d = calls - before.byCommand.getOrDefault(command, 0L);
				if (d > 0) {
					delta.put(command, d);
				}
			});
			return delta;
		}

		double secondsSince(Counters before) {
			return (this.nanoTime - before.nanoTime) / 1e9;
		}

	}

}
