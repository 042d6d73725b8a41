package dev.redisstarter.messaging.queue;

import java.util.List;

/**
 * One job's part of what {@code enqueue.lua} returns, {@code {id, 1 when added or 0 when an existing job was
 * returned}}, by name (its header is the contract).
 * @param id the job's id
 * @param added whether this call added it (false: a job with that id already existed)
 */
record EnqueueReply(String id, boolean added) {

	static EnqueueReply of(Object pair) {
		List<?> fields = (List<?>) pair;
		return new EnqueueReply(JobRecords.text(fields.get(0)), ((Number) fields.get(1)).longValue() == 1);
	}

}
