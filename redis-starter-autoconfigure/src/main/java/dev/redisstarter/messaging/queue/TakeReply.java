package dev.redisstarter.messaging.queue;

import java.util.List;

/**
 * What {@code take.lua} returns, {@code {wait, now, paused, job...}}, by name (its header is the contract).
 * @param waitMillis -1 when jobs remain waiting; else the ms until the queue's back-off ends, until the rate limit's window
 * ends, or until the next delayed job is due; 0 when nothing is waiting or delayed
 * @param nowMillis the server's time in ms
 * @param pauseKind 0: not paused; 1: the queue backs off (no job taken); 2: the rate limit's window is spent
 * @param jobs each taken job as {@code {id, payload, attempt, attempts, backoff, timeout, created, runAt, trace,
 * reclaimed}}, read by {@link TakenJob#of}
 */
record TakeReply(long waitMillis, long nowMillis, long pauseKind, List<List<?>> jobs) {

	/** {@code waitMillis} when jobs remain waiting. */
	static final long MORE_WAITING = -1;

	@SuppressWarnings("unchecked")
	static TakeReply of(List<?> reply) {
		return new TakeReply(((Number) reply.get(0)).longValue(), ((Number) reply.get(1)).longValue(),
				((Number) reply.get(2)).longValue(), (List<List<?>>) reply.subList(3, reply.size()));
	}

	/** Whether the worker should sleep: the queue backs off or the rate limit's window is spent. */
	boolean paused() {
		return this.pauseKind != 0;
	}

	/** Whether the queue itself backs off (a pause, not the rate limit). */
	boolean queueBacksOff() {
		return this.pauseKind == 1;
	}

}
