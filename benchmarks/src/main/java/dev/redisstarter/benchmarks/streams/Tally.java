package dev.redisstarter.benchmarks.streams;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The listeners' work, the same on every side: counts the readings, sums their sequence numbers (a checksum) and
 * marks each number in a bitmap, so that a run can tell lost entries from duplicated ones. Safe for any number of
 * calling threads.
 */
final class Tally {

	private final LongAdder handled = new LongAdder();

	private final LongAdder checksum = new LongAdder();

	private final LongAdder duplicates = new LongAdder();

	private volatile AtomicLongArray seen = new AtomicLongArray(1);

	/** Forgets the previous run; the next one consumes {@code entries} readings numbered from 0. */
	void reset(int entries) {
		this.seen = new AtomicLongArray((entries + 63) / 64 + 1);
		this.handled.reset();
		this.checksum.reset();
		this.duplicates.reset();
	}

	void accept(Reading reading) {
		long seq = reading.seq();
		long bit = 1L << (seq & 63);
		long before = this.seen.getAndUpdate((int) (seq >>> 6), (word) -> word | bit);
		if ((before & bit) != 0) {
			this.duplicates.increment();
		}
		this.checksum.add(seq);
		this.handled.increment();
	}

	long handled() {
		return this.handled.sum();
	}

	long checksum() {
		return this.checksum.sum();
	}

	long duplicates() {
		return this.duplicates.sum();
	}

	/** How many of the readings 0 to {@code entries - 1} never arrived. */
	long missing(int entries) {
		AtomicLongArray bits = this.seen;
		long present = 0;
		for (int i = 0; i < bits.length(); i++) {
			present += Long.bitCount(bits.get(i));
		}
		return entries - present;
	}

}
