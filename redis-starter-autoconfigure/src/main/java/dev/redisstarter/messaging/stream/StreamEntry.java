package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An entry as read: its id, its fields (the raw payload apart) and how many times it has been delivered.
 *
 * @param id the entry id
 * @param payload the {@code payload} field, or {@code null} when the entry has none
 * @param fields the other fields
 * @param deliveries the delivery count, this delivery included
 */
record StreamEntry(String id, byte @Nullable [] payload, Map<String, String> fields, long deliveries) {

	/**
	 * An entry from a flat field list ({@code field, value, field, value...}) as scripts return it.
	 * @param id the id
	 * @param flat the fields
	 * @param deliveries the delivery count
	 * @return the entry
	 */
	static StreamEntry of(String id, List<?> flat, long deliveries) {
		byte[] payload = null;
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 0; i + 1 < flat.size(); i += 2) {
			String name = text(flat.get(i));
			Object value = flat.get(i + 1);
			if (name.equals(RedisStreamPublisher.PAYLOAD)) {
				payload = (value instanceof byte[] bytes) ? bytes : text(value).getBytes(StandardCharsets.UTF_8);
			}
			else {
				fields.put(name, text(value));
			}
		}
		return new StreamEntry(id, payload, fields, deliveries);
	}

	/**
	 * An entry from a map of fields as Lettuce returns it.
	 * @param id the id
	 * @param body the fields
	 * @param deliveries the delivery count
	 * @return the entry
	 */
	static StreamEntry of(String id, Map<byte[], byte[]> body, long deliveries) {
		byte[] payload = null;
		Map<String, String> fields = new LinkedHashMap<>();
		for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
			String name = new String(field.getKey(), StandardCharsets.UTF_8);
			if (name.equals(RedisStreamPublisher.PAYLOAD)) {
				payload = field.getValue();
			}
			else {
				fields.put(name, new String(field.getValue(), StandardCharsets.UTF_8));
			}
		}
		return new StreamEntry(id, payload, fields, deliveries);
	}

	static String text(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

}
