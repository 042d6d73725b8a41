package dev.redisstarter.messaging.stream;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What {@code dead-letter.lua} returns, {@code {dead letter id, trimmed}} or false, by name (its header is the
 * contract).
 * @param id the dead letter's id
 * @param trimmed how many older dead letters the length bound trimmed
 */
record DeadLetterReply(String id, long trimmed) {

	/** The reply, or {@code null} when the script answered false (the entry is not pending for this consumer). */
	static @Nullable DeadLetterReply of(@Nullable List<?> reply) {
		if (reply == null || reply.size() < 2) {
			return null;
		}
		return new DeadLetterReply(StreamEntry.text(reply.get(0)), ((Number) reply.get(1)).longValue());
	}

}
