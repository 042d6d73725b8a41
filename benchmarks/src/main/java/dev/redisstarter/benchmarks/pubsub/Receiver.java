package dev.redisstarter.benchmarks.pubsub;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The listener's work, the same on both sides: records the end-to-end latency of each {@link Tick} of the
 * current run (receive time minus the time in the payload) and counts arrivals that came after a later message
 * of the same publisher (out of order). Safe for any number of calling threads.
 */
final class Receiver {

	private static final int MAX_PUBLISHERS = 64;

	private final long[] latencies;

	private final AtomicInteger slots = new AtomicInteger();

	private final AtomicInteger recorded = new AtomicInteger();

	private final AtomicLongArray highestSeq = new AtomicLongArray(MAX_PUBLISHERS);

	private final LongAdder outOfOrder = new LongAdder();

	private final LongAdder stale = new LongAdder();

	private final AtomicLong lastReceivedNanos = new AtomicLong();

	private volatile int run = -1;

	Receiver(int capacity) {
		this.latencies = new long[capacity];
	}

	/** Forgets the previous run; only ticks of {@code run} count from now on. */
	void reset(int run) {
		this.run = -1;
		this.slots.set(0);
		this.recorded.set(0);
		for (int i = 0; i < MAX_PUBLISHERS; i++) {
			this.highestSeq.set(i, -1);
		}
		this.outOfOrder.reset();
		this.stale.reset();
		this.lastReceivedNanos.set(0);
		this.run = run;
	}

	void accept(Tick tick) {
		long now = System.nanoTime();
		if (tick.run() != this.run) {
			this.stale.increment();
			return;
		}
		int slot = this.slots.getAndIncrement();
		if (slot < this.latencies.length) {
			this.latencies[slot] = now - tick.sentNanos();
		}
		long previous = this.highestSeq.getAndAccumulate(tick.publisher(), tick.seq(), Math::max);
		if (tick.seq() < previous) {
			this.outOfOrder.increment();
		}
		this.lastReceivedNanos.accumulateAndGet(now, Math::max);
		this.recorded.incrementAndGet();
	}

	/** How many ticks of the current run were handled completely (a read of this publishes their latencies). */
	int received() {
		return this.recorded.get();
	}

	long outOfOrder() {
		return this.outOfOrder.sum();
	}

	long stale() {
		return this.stale.sum();
	}

	long lastReceivedNanos() {
		return this.lastReceivedNanos.get();
	}

	/**
	 * Latency percentiles of the current run, in nanoseconds; call after {@link #received()} reached what was
	 * published (or after the drain timeout).
	 * @param percentiles each between 0 and 100
	 * @return one value per percentile
	 */
	long[] percentiles(double... percentiles) {
		int count = Math.min(received(), this.latencies.length);
		long[] sorted = Arrays.copyOf(this.latencies, count);
		Arrays.sort(sorted);
		long[] result = new long[percentiles.length];
		for (int i = 0; i < percentiles.length; i++) {
			int index = (int) Math.ceil(percentiles[i] / 100.0 * count) - 1;
			result[i] = (count == 0) ? 0 : sorted[Math.max(0, Math.min(count - 1, index))];
		}
		return result;
	}

}
