package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An entry that failed for good, as kept in the stream's dead-letter stream ({@code <prefix>stream:{<name>}:dead}):
 * the entry's own fields, and what went wrong in fields that start with {@code x-dead-}.
 *
 * @param id the dead letter's id (in the dead-letter stream)
 * @param originalId the entry's id in its stream
 * @param stream the stream's name
 * @param group the group that gave it up
 * @param deliveries how many times it was delivered
 * @param error the class name of the exception the last delivery failed with
 * @param message why it was given up and the exception's message ({@code "failed on all 5 deliveries: ..."})
 * @param failedAt when (the server's time)
 * @param payload the entry's payload (JSON), or {@code null}
 * @param fields the entry's other fields
 */
public record DeadLetter(String id, String originalId, String stream, String group, long deliveries, String error,
		String message, @Nullable Instant failedAt, @Nullable String payload, Map<String, String> fields) {

	static final String ORIGINAL_ID = "x-dead-id";

	static final String STREAM = "x-dead-stream";

	static final String GROUP = "x-dead-group";

	static final String DELIVERIES = "x-dead-deliveries";

	static final String ERROR = "x-dead-error";

	static final String MESSAGE = "x-dead-message";

	static final String AT = "x-dead-at";

	static DeadLetter of(String id, Map<byte[], byte[]> body) {
		Map<String, String> all = new LinkedHashMap<>();
		body.forEach((name, value) -> all.put(new String(name, StandardCharsets.UTF_8),
				new String(value, StandardCharsets.UTF_8)));
		Map<String, String> fields = new LinkedHashMap<>();
		all.forEach((name, value) -> {
			if (!name.startsWith("x-dead-") && !name.equals(RedisStreamPublisher.PAYLOAD)) {
				fields.put(name, value);
			}
		});
		String at = all.get(AT);
		return new DeadLetter(id, all.getOrDefault(ORIGINAL_ID, ""), all.getOrDefault(STREAM, ""),
				all.getOrDefault(GROUP, ""), parse(all.get(DELIVERIES)), all.getOrDefault(ERROR, ""),
				all.getOrDefault(MESSAGE, ""), (at != null) ? Instant.ofEpochMilli(parse(at)) : null,
				all.get(RedisStreamPublisher.PAYLOAD), fields);
	}

	/** This dead letter with its message, payload and fields cut to {@code chars} characters, as lists show it. */
	DeadLetter cut(int chars) {
		Map<String, String> cutFields = new LinkedHashMap<>();
		this.fields.forEach((name, value) -> cutFields.put(name, Objects.requireNonNull(cut(value, chars))));
		return new DeadLetter(this.id, this.originalId, this.stream, this.group, this.deliveries, this.error,
				Objects.requireNonNull(cut(this.message, chars)), this.failedAt, cut(this.payload, chars), cutFields);
	}

	private static @Nullable String cut(@Nullable String text, int chars) {
		if (text == null || text.length() <= chars) {
			return text;
		}
		// Never half a surrogate pair.
		return text.substring(0, Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars);
	}

	private static long parse(@Nullable String number) {
		try {
			return (number != null) ? Long.parseLong(number) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
