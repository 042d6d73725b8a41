package dev.redisstarter.benchmarks.queue;

/**
 * The payload every job carries on both sides: about 110 bytes of JSON, the same fields and values as the BullMQ
 * side's {@code task(seq)} in {@code benchmarks/bullmq/bench.mjs}.
 *
 * @param seq the job's number in its run, from 0 (the handlers check that each runs exactly once)
 * @param kind what the job does
 * @param account an account id
 * @param email an address
 * @param createdAt when the job was made, epoch milliseconds
 */
public record Task(long seq, String kind, String account, String email, long createdAt) {

	static Task of(long seq) {
		return new Task(seq, "invoice.render", "acct-" + padded(seq % 1000, 5), "user-" + padded(seq % 10000, 4)
				+ "@example.com", 1_764_633_600_000L + seq);
	}

	private static String padded(long number, int width) {
		String digits = Long.toString(number);
		return "0".repeat(Math.max(0, width - digits.length())) + digits;
	}

}
