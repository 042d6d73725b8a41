package dev.redisstarter.benchmarks.streams;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One measured run of one side: its stream is replaced by a fresh one holding the same entries (its group created
 * at the start), the side is started, and the clock stops at the first moment when every entry has been handled
 * by the listener and the group's pending list is empty ({@code XPENDING}). Then the side is stopped and the run
 * checks what it consumed: each entry exactly once (count, checksum and bitmap of sequence numbers), nothing pending
 * and no lag left in {@code XINFO GROUPS}.
 */
final class StreamRun {

	private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

	private StreamRun() {
	}

	/**
	 * What one run measured.
	 * @param side the side's name
	 * @param concurrency its concurrency
	 * @param repetition the repetition (0 for the warm-up)
	 * @param entries entries in the stream
	 * @param seconds from start until all handled and acknowledged
	 * @param complete whether that happened within the limit
	 * @param handled listener calls per entry, counted
	 * @param missing entries never handled
	 * @param duplicates entries handled more than once
	 * @param checksumOk whether the sum of sequence numbers is the expected one
	 * @param pendingAtEnd the group's pending count after the side stopped
	 * @param lagAtEnd the group's lag after the side stopped
	 * @param reads XREADGROUP calls during the run
	 * @param acks XACK calls during the run
	 * @param connections connections Redis accepted during the run
	 */
	record Result(String side, int concurrency, int repetition, int entries, double seconds, boolean complete,
			long handled, long missing, long duplicates, boolean checksumOk, long pendingAtEnd, long lagAtEnd, long reads,
			long acks, long connections) {

		double throughput() {
			return this.entries / this.seconds;
		}

		boolean clean() {
			return this.complete && this.missing == 0 && this.duplicates == 0 && this.checksumOk && this.pendingAtEnd == 0
					&& this.lagAtEnd == 0;
		}

	}

	static Result run(Side side, RedisProbe redis, Tally tally, List<String> payloads, int repetition)
			throws InterruptedException {
		int entries = payloads.size();
		redis.refill(side.key(), side.group(), payloads);
		tally.reset(entries);
		System.gc();
		Thread.sleep(200);
		Map<String, Long> before = redis.counters();
		long start = System.nanoTime();
		side.start();
		boolean complete = awaitHandled(tally, entries, start) && awaitAcknowledged(redis, side, start);
		long end = System.nanoTime();
		Map<String, Long> after = redis.counters();
		side.stop();
		Map<String, Object> group = redis.groupInfo(side.key(), side.group());
		long expectedChecksum = (long) entries * (entries - 1) / 2;
		Result result = new Result(side.name(), side.concurrency(), repetition, entries, (end - start) / 1e9, complete,
				tally.handled(), tally.missing(entries), tally.duplicates(), tally.checksum() == expectedChecksum,
				number(group.get("pending")), number(group.get("lag")), delta(before, after, "xreadgroup"),
				delta(before, after, "xack"), delta(before, after, "connections"));
		redis.delete(side.key());
		return result;
	}

	private static boolean awaitHandled(Tally tally, int entries, long start) throws InterruptedException {
		while (tally.handled() < entries) {
			if (System.nanoTime() - start > LIMIT_NANOS) {
				return false;
			}
			Thread.sleep(1);
		}
		return true;
	}

	private static boolean awaitAcknowledged(RedisProbe redis, Side side, long start) throws InterruptedException {
		while (redis.pending(side.key(), side.group()) > 0) {
			if (System.nanoTime() - start > LIMIT_NANOS) {
				return false;
			}
			Thread.sleep(1);
		}
		return true;
	}

	private static long number(Object value) {
		// The lag is nil when Redis cannot tell (after deletions); count that as not clean.
		return (value instanceof Number number) ? number.longValue() : -1;
	}

	private static long delta(Map<String, Long> before, Map<String, Long> after, String counter) {
		return after.getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L);
	}

}
