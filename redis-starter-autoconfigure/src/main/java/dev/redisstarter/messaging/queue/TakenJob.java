package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.messaging.RetryBackoff;

/**
 * A job as {@code take.lua} hands it to a worker.
 *
 * @param id the job's id
 * @param payload its JSON
 * @param attempt this attempt (from 1)
 * @param maxAttempts its attempts
 * @param backoff its backoff
 * @param attemptTimeout its attempt timeout, or null
 * @param createdMillis when it was enqueued (server clock)
 * @param runAtMillis when it could run (server clock)
 * @param trace its trace context (JSON), or empty
 * @param owner the lease owner: the take that took it, {@code <token>:<take number>}
 * @param takenMillis when it was taken (server clock)
 * @param reclaimed how many times a lease of it expired before its start was marked (its worker died or was cut off
 * with it taken ahead, or its handler killed the worker before the mark was written)
 */
record TakenJob(String id, byte[] payload, int attempt, int maxAttempts, RetryBackoff backoff,
		@Nullable Duration attemptTimeout, long createdMillis, long runAtMillis, String trace, String owner,
		long takenMillis, int reclaimed) {

	static TakenJob of(List<?> fields, String owner, long now, RetryBackoff fallback) {
		String id = JobRecords.text(fields.get(0));
		int attempt = ((Number) fields.get(2)).intValue();
		long timeout = parse(fields.get(5));
		return new TakenJob(id, (byte[]) fields.get(1), attempt, (int) parse(fields.get(3)),
				JobRecords.decodeBackoff(JobRecords.text(fields.get(4)), fallback),
				(timeout > 0) ? Duration.ofMillis(timeout) : null, parse(fields.get(6)), parse(fields.get(7)),
				(fields.size() > 8 && fields.get(8) != null) ? JobRecords.text(fields.get(8)) : "", owner, now,
				(fields.size() > 9) ? (int) parse(fields.get(9)) : 0);
	}

	private static long parse(@Nullable Object value) {
		if (value == null) {
			return 0;
		}
		try {
			return (long) Double.parseDouble(JobRecords.text(value));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/** How long it waited: from enqueue, or from its run-at time when later. */
	long waitedMillis() {
		return this.takenMillis - Math.max(this.createdMillis, this.runAtMillis);
	}

}
