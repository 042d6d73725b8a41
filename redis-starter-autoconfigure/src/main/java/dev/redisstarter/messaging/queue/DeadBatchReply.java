package dev.redisstarter.messaging.queue;

import java.util.List;

/**
 * What {@code dead-retry.lua} and {@code dead-purge.lua} return, {@code {done, looked at}}, by name (their headers are
 * the contract).
 * @param done how many dead letters went back to waiting, or were deleted
 * @param lookedAt how many ids were looked at (an id whose record expired counts)
 */
record DeadBatchReply(long done, long lookedAt) {

	static DeadBatchReply of(List<?> reply) {
		return new DeadBatchReply(((Number) reply.get(0)).longValue(), ((Number) reply.get(1)).longValue());
	}

}
