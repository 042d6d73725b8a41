package dev.redisstarter.benchmarks.streams;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The harness's own connections to the private server, apart from the sides': fills a stream (plain
 * {@code XADD <key> * payload <json>}, pipelined), creates its group, and reads what a run needs to check and
 * explain itself ({@code XPENDING}, {@code XINFO GROUPS}, {@code INFO commandstats} and {@code INFO stats}).
 */
final class RedisProbe implements AutoCloseable {

	private static final int FILL_PIPELINE = 1_000;

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final RedisCommands<String, String> redis;

	RedisProbe(String host, int port) {
		this.client = RedisClient.create(RedisURI.create(host, port));
		this.connection = this.client.connect();
		this.redis = this.connection.sync();
	}

	/**
	 * Replaces the stream by a fresh one holding {@code payloads} (one entry each, field {@code payload}), with
	 * {@code group} created at its start.
	 */
	void refill(String key, String group, List<String> payloads) {
		this.redis.del(key);
		try (StatefulRedisConnection<String, String> fill = this.client.connect()) {
			fill.setAutoFlushCommands(false);
			List<RedisFuture<?>> sent = new ArrayList<>(FILL_PIPELINE);
			for (String payload : payloads) {
				sent.add(fill.async().xadd(key, "payload", payload));
				if (sent.size() == FILL_PIPELINE) {
					flush(fill, sent);
				}
			}
			flush(fill, sent);
		}
		this.redis.xgroupCreate(XReadArgs.StreamOffset.from(key, "0"), group, XGroupCreateArgs.Builder.mkstream());
		long length = this.redis.xlen(key);
		if (length != payloads.size()) {
			throw new IllegalStateException("The stream holds " + length + " entries, not " + payloads.size());
		}
	}

	private static void flush(StatefulRedisConnection<String, String> fill, List<RedisFuture<?>> sent) {
		fill.flushCommands();
		if (!LettuceFutures.awaitAll(java.time.Duration.ofSeconds(30), sent.toArray(RedisFuture[]::new))) {
			throw new IllegalStateException("Filling the stream timed out");
		}
		sent.clear();
	}

	void delete(String key) {
		this.redis.del(key);
	}

	/** Entries of the group read but not acknowledged (the XPENDING summary's count). */
	long pending(String key, String group) {
		return this.redis.xpending(key, group).getCount();
	}

	/** The group's line of {@code XINFO GROUPS}: {@code pending}, {@code lag}, {@code entries-read}, ... */
	Map<String, Object> groupInfo(String key, String group) {
		for (Object line : this.redis.xinfoGroups(key)) {
			Map<String, Object> fields = new HashMap<>();
			List<?> flat = (List<?>) line;
			for (int i = 0; i + 1 < flat.size(); i += 2) {
				fields.put(String.valueOf(flat.get(i)), flat.get(i + 1));
			}
			if (group.equals(fields.get("name"))) {
				return fields;
			}
		}
		throw new IllegalStateException("No group " + group + " on " + key);
	}

	/** Counters to compare before and after a run: calls per command and connections accepted. */
	Map<String, Long> counters() {
		Map<String, Long> counters = new HashMap<>();
		for (String line : this.redis.info("commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_")) {
				String command = line.substring("cmdstat_".length(), line.indexOf(':'));
				int calls = line.indexOf("calls=") + "calls=".length();
				counters.put(command, Long.parseLong(line.substring(calls, line.indexOf(',', calls))));
			}
		}
		for (String line : this.redis.info("stats").split("\r?\n")) {
			if (line.startsWith("total_connections_received:")) {
				counters.put("connections", Long.parseLong(line.substring(line.indexOf(':') + 1).strip()));
			}
		}
		return counters;
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

}
