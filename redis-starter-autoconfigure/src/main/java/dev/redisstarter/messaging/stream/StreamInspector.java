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
	 * A stream's state.
	 * @param stream the stream's name
	 * @return length, groups and consumers, as plain maps and lists (JSON-friendly)
	 * @throws StreamUnavailableException when Redis cannot be reached
	 */
	public Map<String, Object> inspect(String stream) {
		byte[] key = utf8(this.keys.stream(stream));
		try {
			Map<String, Object> result = new LinkedHashMap<>();
			Long length = this.calls.call((redis) -> redis.xlen(key));
			result.put("key", this.keys.stream(stream));
			result.put("length", (length != null) ? length : 0);
			List<Map<String, Object>> groups = new ArrayList<>();
			if (length != null && length > 0 || exists(key)) {
				for (Map<String, Object> group : maps(this.calls.call((redis) -> redis.xinfoGroups(key)))) {
					Map<String, Object> shown = new LinkedHashMap<>();
					String name = text(group.get("name"));
					shown.put("name", name);
					shown.put("pending", group.get("pending"));
					shown.put("lag", group.get("lag"));
					shown.put("lastDeliveredId", text(group.get("last-delivered-id")));
					List<Map<String, Object>> consumers = new ArrayList<>();
					for (Map<String, Object> consumer : maps(this.calls.call((redis) -> redis.xinfoConsumers(key, utf8(name))))) {
						consumers.add(Map.of("name", text(consumer.get("name")), "pending", consumer.get("pending"),
								"idleMillis", consumer.get("idle")));
					}
					shown.put("consumers", consumers);
					groups.add(shown);
				}
			}
			result.put("groups", groups);
			return result;
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "inspect", ex);
		}
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
