package dev.redisstarter.console;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisPermissionException;

/**
 * What the server says about itself, per node (each master on a Cluster): a few {@code INFO} fields, the
 * {@code SLOWLOG}, and a {@link KeySampler sampled} look at its keys. Commands, per node: {@code INFO};
 * {@code SLOWLOG GET n}; {@code SCAN}, {@code MEMORY USAGE} and {@code PTTL} for the sample and {@code TYPE} for
 * its biggest keys. Never {@code KEYS}, never a scan without a bound. One insight runs at a time: a request made
 * while one runs gets that one's answer, so that more users, tabs or clicks on "sample again" do not add scans.
 */
public final class ServerInsight {

	private static final int ARGUMENT_LENGTH = 100;

	private static final int ARGUMENTS = 10;

	/**
	 * One node's {@code INFO} fields that the console shows.
	 *
	 * @param node the node's address
	 * @param version the server's version ({@code redis_version}, or {@code valkey_version})
	 * @param usedMemory {@code used_memory}, bytes
	 * @param usedMemoryPeak {@code used_memory_peak}, bytes
	 * @param maxmemory {@code maxmemory}, bytes (0: no limit)
	 * @param maxmemoryPolicy {@code maxmemory_policy}
	 * @param connectedClients {@code connected_clients}
	 * @param opsPerSecond {@code instantaneous_ops_per_sec}
	 * @param keyspaceHits {@code keyspace_hits}
	 * @param keyspaceMisses {@code keyspace_misses}
	 * @param keys keys in database 0
	 * @param uptimeSeconds {@code uptime_in_seconds}
	 * @param error why the node could not be read; the other fields are then empty
	 */
	public record NodeInfo(String node, @Nullable String version, @Nullable Long usedMemory,
			@Nullable Long usedMemoryPeak, @Nullable Long maxmemory, @Nullable String maxmemoryPolicy,
			@Nullable Long connectedClients, @Nullable Long opsPerSecond, @Nullable Long keyspaceHits,
			@Nullable Long keyspaceMisses, @Nullable Long keys, @Nullable Long uptimeSeconds, @Nullable String error) {

		static NodeInfo of(String node, Map<String, String> info) {
			String version = info.getOrDefault("valkey_version", info.get("redis_version"));
			return new NodeInfo(node, version, number(info, "used_memory"), number(info, "used_memory_peak"),
					number(info, "maxmemory"), info.get("maxmemory_policy"), number(info, "connected_clients"),
					number(info, "instantaneous_ops_per_sec"), number(info, "keyspace_hits"),
					number(info, "keyspace_misses"), dbKeys(info.get("db0")), number(info, "uptime_in_seconds"), null);
		}

		static NodeInfo failed(String node, String error) {
			return new NodeInfo(node, null, null, null, null, null, null, null, null, null, null, null, error);
		}

	}

	/**
	 * One {@code SLOWLOG} entry.
	 *
	 * @param id its id
	 * @param at when it ran
	 * @param micros how long it took
	 * @param command the command and its first arguments, each cut to 100 characters
	 * @param client the client's address
	 */
	public record SlowEntry(long id, Instant at, long micros, List<String> command, @Nullable String client) {
	}

	/**
	 * One node's insight.
	 *
	 * @param node the node's address
	 * @param slowlog its slowest recent commands
	 * @param slowlogError why {@code SLOWLOG} could not be read (a user not granted it), when it could not
	 * @param sample its sampled keys
	 * @param error why the node could not be read
	 */
	public record NodeInsight(String node, List<SlowEntry> slowlog, @Nullable String slowlogError,
			KeySampler.@Nullable Sample sample, @Nullable String error) {
	}

	/**
	 * The whole insight.
	 *
	 * @param sampleSize how many keys are sampled per node, at most
	 * @param sampleTimeBudgetMillis how long each node is sampled, at most
	 * @param starterPrefix the starter's key prefix
	 * @param nodes per node
	 */
	public record Insight(int sampleSize, long sampleTimeBudgetMillis, String starterPrefix, List<NodeInsight> nodes) {
	}

	private final RedisNodes nodes;

	private final KeyNaming naming;

	private final ConsoleSettings settings;

	/** One sample at a time: a request made while one runs gets its answer. */
	private final SingleFlight<Insight> sampling = new SingleFlight<>();

	ServerInsight(RedisNodes nodes, KeyNaming naming, ConsoleSettings settings) {
		this.nodes = Objects.requireNonNull(nodes, "nodes must not be null");
		this.naming = Objects.requireNonNull(naming, "naming must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
	}

	/**
	 * Each node's {@code INFO} fields.
	 * @return per node
	 */
	public List<NodeInfo> info() {
		return this.nodes.each((node, calls) -> parseInfo(calls.await(node.info()))).stream()
			.map((answer) -> (answer.value() != null) ? NodeInfo.of(answer.node(), answer.value())
					: NodeInfo.failed(answer.node(), String.valueOf(answer.error())))
			.toList();
	}

	/**
	 * Each node's {@code SLOWLOG} and key sample.
	 * @return the insight
	 */
	public Insight insight() {
		return this.sampling.get(this::sample);
	}

	private Insight sample() {
		KeySampler sampler = new KeySampler(this.naming, this.settings.sampleSize(), this.settings.sampleTimeBudget());
		List<NodeInsight> insights = this.nodes.each((node, calls) -> {
			List<SlowEntry> slowlog = List.of();
			String slowlogError = null;
			try {
				slowlog = slowlog(calls.await(node.slowlogGet(this.settings.slowlogEntries())));
			}
			catch (RedisPermissionException ex) {
				slowlogError = ex.getMessage();
			}
			return new NodeInsight("", slowlog, slowlogError, sampler.sample(node, calls), null);
		})
			.stream()
			.map((answer) -> (answer.value() != null)
					? new NodeInsight(answer.node(), answer.value().slowlog(), answer.value().slowlogError(),
							answer.value().sample(), null)
					: new NodeInsight(answer.node(), List.of(), null, null, answer.error()))
			.toList();
		return new Insight(this.settings.sampleSize(), this.settings.sampleTimeBudget().toMillis(),
				this.naming.prefix(), insights);
	}

	static Map<String, String> parseInfo(String info) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && !line.startsWith("#")) {
				fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
			}
		}
		return fields;
	}

	private static @Nullable Long number(Map<String, String> info, String field) {
		String value = info.get(field);
		if (value == null) {
			return null;
		}
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** {@code keys=12,expires=3,avg_ttl=0}. */
	private static @Nullable Long dbKeys(@Nullable String db) {
		if (db == null) {
			return 0L;
		}
		for (String part : db.split(",")) {
			if (part.startsWith("keys=")) {
				return Long.parseLong(part.substring(5));
			}
		}
		return null;
	}

	private static List<SlowEntry> slowlog(List<Object> reply) {
		List<SlowEntry> entries = new ArrayList<>();
		for (Object item : reply) {
			if (!(item instanceof List<?> entry) || entry.size() < 4) {
				continue;
			}
			List<String> command = new ArrayList<>();
			if (entry.get(3) instanceof List<?> arguments) {
				for (Object argument : arguments) {
					if (command.size() == ARGUMENTS) {
						command.add("\u2026");
						break;
					}
					String text = text(argument);
					command.add((text.length() > ARGUMENT_LENGTH) ? text.substring(0, ARGUMENT_LENGTH) + "\u2026" : text);
				}
			}
			entries.add(new SlowEntry(number(entry.get(0)), Instant.ofEpochSecond(number(entry.get(1))),
					number(entry.get(2)), command, (entry.size() > 4) ? text(entry.get(4)) : null));
		}
		return entries;
	}

	private static long number(Object value) {
		return (value instanceof Number number) ? number.longValue() : Long.parseLong(text(value));
	}

	static String text(@Nullable Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

}
