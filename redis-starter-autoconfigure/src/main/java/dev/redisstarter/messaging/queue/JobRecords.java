package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.messaging.RetryBackoff;

/**
 * Reads job records (the {@code HGETALL} replies of the scripts) into {@link JobInfo}s.
 */
final class JobRecords {

	private JobRecords() {
	}

	static @Nullable JobInfo read(JsonMapper mapper, String queue, String id, @Nullable List<?> flat) {
		if (flat == null || flat.isEmpty()) {
			return null;
		}
		Map<String, String> fields = new HashMap<>();
		for (int i = 0; i + 1 < flat.size(); i += 2) {
			fields.put(text(flat.get(i)), text(flat.get(i + 1)));
		}
		String state = fields.get("state");
		if (state == null) {
			return null;
		}
		JobState known;
		try {
			known = JobState.of(state);
		}
		catch (IllegalArgumentException ex) {
			// A state this version does not know (written by something else): not readable as a job.
			return null;
		}
		return new JobInfo(id, queue, known, number(fields.get("attempts")), number(fields.get("max")),
				number(fields.get("priority")), instant(fields.get("created")), instant(fields.getOrDefault("runAt", fields.get("created"))),
				instant(fields.get("finished")), number(fields.get("stalled")), number(fields.get("runs")),
				fields.getOrDefault("payload", "null"),
				fields.get("progress"), fields.get("error"), fields.get("message"), fields.get("stack"),
				history(mapper, fields.get("history")));
	}

	private static List<JobError> history(JsonMapper mapper, @Nullable String json) {
		if (json == null || json.isEmpty()) {
			return List.of();
		}
		List<JobError> errors = new ArrayList<>();
		try {
			JsonNode array = mapper.readTree(json);
			for (JsonNode entry : array) {
				JsonNode message = entry.get("message");
				errors.add(new JobError(entry.path("attempt").asInt(), Instant.ofEpochMilli(entry.path("at").asLong()),
						entry.path("error").asString(), (message == null || message.isNull()) ? null : message.asString()));
			}
		}
		catch (RuntimeException ex) {
			// A history another version wrote: shown as none rather than failing the read.
			return List.of();
		}
		return errors;
	}

	static String text(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return String.valueOf(value);
	}

	static int number(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return 0;
		}
		try {
			return (int) Double.parseDouble(value);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	static @Nullable Instant instant(@Nullable String millis) {
		if (millis == null || millis.isEmpty()) {
			return null;
		}
		try {
			return Instant.ofEpochMilli((long) Double.parseDouble(millis));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * A backoff in the form kept in a job's record: {@code initialMs:multiplier:maxMs:jitter} (Double.toString is
	 * locale-independent).
	 */
	static String encode(RetryBackoff backoff) {
		return backoff.initial().toMillis() + ":" + backoff.multiplier() + ":" + backoff.max().toMillis() + ":"
				+ backoff.jitter();
	}

	/** Reads {@link #encode(RetryBackoff)}'s form; anything else (a record from elsewhere) reads as the fallback. */
	static RetryBackoff decodeBackoff(String text, RetryBackoff fallback) {
		String[] parts = text.split(":");
		if (parts.length != 4) {
			return fallback;
		}
		try {
			return new RetryBackoff(Duration.ofMillis(Long.parseLong(parts[0])), Double.parseDouble(parts[1]),
					Duration.ofMillis(Long.parseLong(parts[2])), Double.parseDouble(parts[3]));
		}
		catch (IllegalArgumentException ex) {
			return fallback;
		}
	}

}
