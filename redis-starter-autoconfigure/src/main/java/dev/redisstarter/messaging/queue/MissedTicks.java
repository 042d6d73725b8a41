package dev.redisstarter.messaging.queue;

/**
 * What a schedule does about ticks that passed while no instance could enqueue them: every instance was stopped,
 * or Redis was unreachable until the next tick came. Ticks that came while an instance was running and reaching
 * Redis are never missed. In properties: {@code skip} or {@code run-once}.
 */
public enum MissedTicks {

	/** Missed ticks enqueue nothing; the schedule goes on with its next tick. */
	SKIP,

	/**
	 * One job for all the ticks missed, enqueued when an instance finds them (at its start, or when Redis
	 * answers again), for the latest of them; none when a tick on time follows the missed ones, since its job
	 * already runs after them.
	 */
	RUN_ONCE

}
