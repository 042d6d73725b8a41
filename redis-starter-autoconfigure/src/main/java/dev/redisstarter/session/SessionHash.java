package dev.redisstarter.session;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A session's hash as the scripts return it (field, value, field, value, ...), read by the session service and the
 * Spring Session bridge.
 *
 * @param user the user or principal, {@code ""} for an anonymous session
 * @param created creation time, epoch ms
 * @param accessed last use, epoch ms
 * @param absolute absolute deadline, epoch ms
 * @param idle the session's own idle time to live in ms, or {@code null} when it has none (then the settings' ttl)
 * @param attributes attribute name to encoded value
 */
record SessionHash(String user, long created, long accessed, long absolute, @Nullable Long idle,
		Map<String, byte[]> attributes) {

	/** The hash, or empty when a field every session has is missing or not a number. */
	static Optional<SessionHash> of(List<Object> fields) {
		Map<String, byte[]> attributes = new LinkedHashMap<>();
		String user = null;
		Long created = null;
		Long accessed = null;
		Long absolute = null;
		Long idle = null;
		for (int i = 0; i + 1 < fields.size(); i += 2) {
			String name = text(fields.get(i));
			byte[] value = (byte[]) fields.get(i + 1);
			switch (name) {
				case "user" -> user = new String(value, StandardCharsets.UTF_8);
				case "created" -> created = number(value);
				case "accessed" -> accessed = number(value);
				case "absolute" -> absolute = number(value);
				case "idle" -> idle = number(value);
				default -> {
					if (name.startsWith("a:")) {
						attributes.put(name.substring(2), value);
					}
				}
			}
		}
		if (user == null || created == null || accessed == null || absolute == null) {
			return Optional.empty();
		}
		return Optional.of(new SessionHash(user, created, accessed, absolute, idle, attributes));
	}

	static String text(Object reply) {
		return (reply instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
	}

	private static @Nullable Long number(byte[] value) {
		try {
			return Long.parseLong(new String(value, StandardCharsets.UTF_8));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
