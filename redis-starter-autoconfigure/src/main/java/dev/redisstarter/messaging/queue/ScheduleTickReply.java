package dev.redisstarter.messaging.queue;

import java.util.List;

/**
 * What {@code schedule-tick.lua} returns, {@code {outcome, last}}, by name (its header is the contract).
 * @param outcome 0 when the tick was handled before, 1 when this call enqueued the tick's job, 2 when it recorded the
 * tick without a job
 * @param last for 0, the latest tick recorded; for 1 and 2, the tick recorded before this one, -1 when none
 */
record ScheduleTickReply(int outcome, long last) {

	static ScheduleTickReply of(List<?> reply) {
		return new ScheduleTickReply(((Number) reply.get(0)).intValue(), ((Number) reply.get(1)).longValue());
	}

}
