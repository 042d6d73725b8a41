package dev.redisstarter.messaging.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.json.JsonMapper;

/**
 * The check-ins of workers in Redis ({@code stalled.lua} writes them, {@code workers.lua} reads them): what a worker
 * says of itself, as JSON.
 */
final class WorkerCheckIns {

	/** A check-in as stored; {@code keepMillis} tells the reader when it was made. */
	record Stored(String instance, String handler, int concurrency, String state, int held, String circuit,
			long keepMillis) {
	}

	/** How many stalled intervals a check-in is kept: a worker that misses two checks is still listed. */
	static final int KEPT_INTERVALS = 3;

	private WorkerCheckIns() {
	}

	static byte[] encode(JsonMapper mapper, Stored stored) {
		return mapper.writeValueAsBytes(stored);
	}

	/** Reads {@code workers.lua}'s reply; a check-in another version wrote in another form is skipped. */
	static List<WorkerCheckIn> read(JsonMapper mapper, List<?> reply) {
		List<WorkerCheckIn> workers = new ArrayList<>(reply.size());
		for (Object entry : reply.subList(1, reply.size())) {
			List<?> fields = (List<?>) entry;
			try {
				Stored stored = mapper.readValue(JobRecords.text(fields.get(2)), Stored.class);
				long until = (long) Double.parseDouble(JobRecords.text(fields.get(1)));
				workers.add(new WorkerCheckIn(stored.instance(), stored.handler(), stored.concurrency(),
						WorkerStatus.valueOf(stored.state().toUpperCase(Locale.ROOT)), stored.held(),
						stored.circuit(), Instant.ofEpochMilli(until - stored.keepMillis()), Instant.ofEpochMilli(until)));
			}
			catch (RuntimeException ex) {
				// Not a check-in this version reads: left out.
			}
		}
		return workers;
	}

}
