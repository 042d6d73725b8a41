package dev.redisstarter.messaging.stream;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What {@code retry.lua} returns, {@code {{field, value, ...}, deliveries}} or false, by name (its header is the
 * contract).
 * @param fields the entry's fields and values, flat
 * @param deliveries its delivery count after this retry
 */
record RetryReply(List<?> fields, long deliveries) {

	/** The reply, or {@code null} when the script answered false (the entry is no longer this consumer's). */
	static @Nullable RetryReply of(@Nullable List<?> reply) {
		if (reply == null || reply.size() < 2 || !(reply.get(0) instanceof List<?> fields)) {
			return null;
		}
		return new RetryReply(fields, ((Number) reply.get(1)).longValue());
	}

}
