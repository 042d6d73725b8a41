package dev.redisstarter.messaging.queue;

import java.util.List;

/**
 * What {@code fail.lua} returns, {@code {result, trimmed}}, by name (its header is the contract).
 * @param result {@link #RETRYING} when scheduled for a retry, {@link #DEAD} when dead-lettered, 0 when the job is no
 * longer this attempt's
 * @param trimmed how many dead letters were trimmed to keep the bounds
 */
record FailReply(long result, long trimmed) {

	static final long RETRYING = 1;

	static final long DEAD = 2;

	static FailReply of(List<?> reply) {
		return new FailReply(((Number) reply.get(0)).longValue(), ((Number) reply.get(1)).longValue());
	}

}
