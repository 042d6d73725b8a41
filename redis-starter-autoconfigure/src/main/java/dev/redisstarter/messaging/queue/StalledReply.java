package dev.redisstarter.messaging.queue;

import java.util.List;

/**
 * What {@code stalled.lua} returns, by name (its header is the contract).
 * @param back how many stalled and went back to waiting
 * @param dead how many stalled and were dead-lettered
 * @param unstarted how many had not started and went back to waiting (no stall counted)
 * @param trimmed how many dead letters were trimmed to keep the bounds
 */
record StalledReply(long back, long dead, long unstarted, long trimmed) {

	static StalledReply of(List<?> reply) {
		return new StalledReply(((Number) reply.get(0)).longValue(), ((Number) reply.get(1)).longValue(),
				((Number) reply.get(2)).longValue(), ((Number) reply.get(3)).longValue());
	}

}
