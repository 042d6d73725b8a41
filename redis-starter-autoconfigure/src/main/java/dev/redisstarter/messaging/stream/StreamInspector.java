package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * Reads what a stream looks like from Redis, for the Actuator endpoint: its length, its groups (consumers,
 * pending, lag, last delivered id) and each group's consumers (pending, idle).
 */
public final class StreamInspector {

	private final RedisCalls calls;

	private final StreamKeys keys;

	/**
	 * An inspector.
	 * @param calls with the streams deadline
	 * @param keys names the streams
	 */
	public StreamInspector(RedisCalls calls, StreamKeys keys) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
	}

	/**
	 * A stream as Redis describes it.
	 *
	 * @param key its key
	 * @param length its number of entries
	 * @param groups its consumer groups
	 */
	public record StreamState(String key, long length, List<GroupState> groups) {
	}

	/**
	 * A consumer group ({@code XINFO GROUPS}).
	 *
	 * @param name the group's name
	 * @param pending entries delivered and not acknowledged
	 * @param lag entries not yet delivered to the group ({@code null} when Redis cannot tell, or before Redis 7)
	 * @param lastDeliveredId the id of the last entry delivered to the group
	 * @param consumers its consumers
	 */
	public record GroupState(String name, @Nullable Long pending, @Nullable Long lag, String lastDeliveredId,
			List<ConsumerInfo> consumers) {
	}

	/**
	 * A consumer of a group ({@code XINFO CONSUMERS}).
	 *
	 * @param name the consumer's name
	 * @param pending entries it holds unacknowledged
	 * @param idleMillis since its last attempted interaction
	 */
	public record ConsumerInfo(String name, @Nullable Long pending, @Nullable Long idleMillis) {
	}

	/**
	 * A stream's state.
	 * @param stream the stream's name
	 * @return length, groups and consumers
	 * @throws StreamUnavailableException when Redis cannot be reached
	 */
	public StreamState inspect(String stream) {
		byte[] key = utf8(this.keys.stream(stream));
		try {
			Long length = this.calls.call((redis) -> redis.xlen(key));
			List<GroupState> groups = new ArrayList<>();
			if (length != null && length > 0 || exists(key)) {
				for (Map<String, Object> group : maps(this.calls.call((redis) -> redis.xinfoGroups(key)))) {
					String name = text(group.get("name"));
					List<ConsumerInfo> consumers = new ArrayList<>();
					for (Map<String, Object> consumer : maps(this.calls.call((redis) -> redis.xinfoConsumers(key, utf8(name))))) {
						consumers.add(new ConsumerInfo(text(consumer.get("name")), number(consumer.get("pending")),
								number(consumer.get("idle"))));
					}
					groups.add(new GroupState(name, number(group.get("pending")), number(group.get("lag")),
							text(group.get("last-delivered-id")), List.copyOf(consumers)));
				}
			}
			return new StreamState(this.keys.stream(stream), (length != null) ? length : 0, List.copyOf(groups));
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "inspect", ex);
		}
	}

	private static @Nullable Long number(@Nullable Object value) {
		if (value instanceof Number number) {
			return number.longValue();
		}
		if (value instanceof String text && !text.isEmpty()) {
			try {
				return Long.parseLong(text);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

	private boolean exists(byte[] key) {
		Long count = this.calls.call((redis) -> redis.exists(key));
		return count != null && count > 0;
	}

	static List<Map<String, Object>> maps(@Nullable List<Object> items) {
		List<Map<String, Object>> result = new ArrayList<>();
		if (items != null) {
			for (Object item : items) {
				if (item instanceof List<?> flat) {
					Map<String, Object> map = new LinkedHashMap<>();
					for (int i = 0; i + 1 < flat.size(); i += 2) {
						map.put(text(flat.get(i)), plain(flat.get(i + 1)));
					}
					result.add(map);
				}
				else if (item instanceof Map<?, ?> raw) {
					Map<String, Object> map = new LinkedHashMap<>();
					raw.forEach((name, value) -> map.put(text(name), plain(value)));
					result.add(map);
				}
			}
		}
		return result;
	}

	private static @Nullable Object plain(@Nullable Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : value;
	}

	static String text(@Nullable Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

}
