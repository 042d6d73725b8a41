package dev.redisstarter.benchmarks.queue;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The starter's handlers' work, the same as the BullMQ side's: marks each job's sequence number in a bitmap (to tell
 * lost jobs from duplicated ones) and, in latency runs, the time from just before its enqueue call to the start of
 * its handler. Safe for any number of calling threads.
 */
final class Tally {

	private final LongAdder handled = new LongAdder();

	private final LongAdder duplicates = new LongAdder();

	private volatile AtomicLongArray seen = new AtomicLongArray(1);

	private volatile AtomicLongArray addedAt = new AtomicLongArray(1);

	private volatile AtomicLongArray latencies = new AtomicLongArray(1);

	/** Forgets the previous run; the next one handles {@code jobs} tasks numbered from 0. */
	void reset(int jobs) {
		this.seen = new AtomicLongArray((jobs + 63) / 64 + 1);
		this.addedAt = new AtomicLongArray(jobs);
		this.latencies = new AtomicLongArray(jobs);
		this.handled.reset();
		this.duplicates.reset();
	}

	/** Called just before the enqueue call of task {@code seq} (latency runs). */
	void adding(long seq) {
		this.addedAt.set((int) seq, System.nanoTime());
	}

	/** Called first thing in the handler. */
	void accept(Task task) {
		long now = System.nanoTime();
		int seq = (int) task.seq();
		long added = this.addedAt.get(seq);
		if (added != 0) {
			this.latencies.set(seq, now - added);
		}
		long bit = 1L << (seq & 63);
		long before = this.seen.getAndUpdate(seq >>> 6, (word) -> word | bit);
		if ((before & bit) != 0) {
			this.duplicates.increment();
		}
		this.handled.increment();
	}

	long handled() {
		return this.handled.sum();
	}

	long duplicates() {
		return this.duplicates.sum();
	}

	/** How many of the tasks 0 to {@code jobs - 1} never ran. */
	long missing(int jobs) {
		AtomicLongArray bits = this.seen;
		long present = 0;
		for (int i = 0; i < bits.length(); i++) {
			present += Long.bitCount(bits.get(i));
		}
		return jobs - present;
	}

	/** The latencies measured, in milliseconds, sorted. */
	double[] sortedLatenciesMillis() {
		AtomicLongArray nanos = this.latencies;
		double[] millis = new double[nanos.length()];
		for (int i = 0; i < millis.length; i++) {
			long value = nanos.get(i);
			millis[i] = (value != 0) ? value / 1e6 : Double.NaN;
		}
		Arrays.sort(millis);
		return millis;
	}

}
