package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A write as read from the stream.
 *
 * @param id its entry id
 * @param fields its fields as stored
 */
record WriteBehindEntry(String id, Map<String, byte[]> fields) {

	static WriteBehindEntry of(String id, @Nullable Map<byte[], byte[]> body) {
		Map<String, byte[]> fields = new LinkedHashMap<>();
		if (body != null) {
			body.forEach((name, value) -> fields.put(new String(name, StandardCharsets.UTF_8), value));
		}
		return new WriteBehindEntry(id, fields);
	}

	@Nullable String key() {
		byte[] key = this.fields.get("key");
		return (key != null) ? new String(key, StandardCharsets.UTF_8) : null;
	}

	boolean delete() {
		byte[] op = this.fields.get("op");
		return op != null && "del".equals(new String(op, StandardCharsets.UTF_8));
	}

	byte[] payload() {
		byte[] payload = this.fields.get("payload");
		return (payload != null) ? payload : new byte[0];
	}

	/** The id the write first had: a replayed dead letter names it. */
	String originalId() {
		byte[] original = this.fields.get("x-replay-of");
		return (original != null) ? new String(original, StandardCharsets.UTF_8) : this.id;
	}

}
