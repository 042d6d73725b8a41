package dev.redisstarter.messaging.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code reclaim.lua} returns, {@code {next cursor, {{id, {field, value, ...}, deliveries}, ...}, trimmed}}, by
 * name (its header is the contract).
 * @param cursor the id to scan from next, {@link #DONE} when the scan is complete
 * @param claimed the entries claimed
 * @param trimmed how many pending entries were found trimmed and acknowledged (never handled)
 */
record ReclaimReply(String cursor, List<StreamEntry> claimed, long trimmed) {

	/** The cursor of a complete scan. */
	static final String DONE = "0-0";

	static ReclaimReply of(List<?> reply) {
		List<StreamEntry> claimed = new ArrayList<>();
		for (Object item : (List<?>) reply.get(1)) {
			List<?> entry = (List<?>) item;
			claimed.add(StreamEntry.of(StreamEntry.text(entry.get(0)), (List<?>) entry.get(1),
					((Number) entry.get(2)).longValue()));
		}
		long trimmed = (reply.size() > 2 && reply.get(2) instanceof Number gone) ? gone.longValue() : 0;
		return new ReclaimReply(StreamEntry.text(reply.get(0)), claimed, trimmed);
	}

	/** Whether the scan is complete. */
	boolean done() {
		return DONE.equals(this.cursor);
	}

}
