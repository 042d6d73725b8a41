package dev.redisstarter.messaging.queue;

import java.util.List;

/**
 * How many jobs a queue holds in each state.
 *
 * @param queue the queue
 * @param waiting ready to run
 * @param delayed waiting for their time or their retry
 * @param active leased by workers
 * @param completed completed and still kept (bounded by the queue's retention)
 * @param dead in the dead letters
 * @param pausedForMillis how long the queue stays paused after a back-off, 0 when it is not
 * @param deadTrimmed how many dead letters were dropped to keep the bounds ({@code dead.max-count},
 * {@code dead.max-age}), by every instance, since the count began (it is kept until {@code dead.max-age} passes
 * without a trim)
 */
public record QueueCounts(String queue, long waiting, long delayed, long active, long completed, long dead,
		long pausedForMillis, long deadTrimmed) {

	/** Reads what {@code counts.lua} returns, in the order of its header (waiting ... dead letters trimmed). */
	static QueueCounts of(String queue, List<?> reply) {
		return new QueueCounts(queue, count(reply, 0), count(reply, 1), count(reply, 2), count(reply, 3),
				count(reply, 4), count(reply, 5), count(reply, 6));
	}

	private static long count(List<?> reply, int index) {
		return ((Number) reply.get(index)).longValue();
	}

}
