package dev.redisstarter.benchmarks.pubsub;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One measured run of one side: {@code threads} publishing threads publish ticks for a fixed time, either as fast
 * as their publish calls return (saturated) or at a fixed total rate shared by the threads (paced); then the
 * harness waits until the listener has received every tick (or nothing came for 3 s). Throughput is ticks received per second between the first publish and the last receipt; latency is
 * receipt time minus the time in the payload; threads created are counted by the JVM over the whole run (the
 * publishing threads are started before it).
 */
final class PubSubRun {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(3);

	private static final long DRAIN_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

	private PubSubRun() {
	}

	/** What one run measured. */
	record Result(String side, int rate, int threads, int repetition, long published, long failed, long received,
			double throughput, double publishRate, double p50Millis, double p99Millis, double maxMillis,
			long outOfOrder, long threadsStarted, int peakLiveThreads) {
	}

	/**
	 * Runs one side once.
	 * @param side what publishes and listens
	 * @param threads how many threads publish
	 * @param rate ticks per second over all threads, or 0 to publish as fast as the calls return
	 * @param duration how long they publish
	 * @param run the run's number, carried in every tick
	 * @param repetition the repetition, for the report
	 * @return what it measured
	 * @throws InterruptedException when interrupted
	 */
	static Result run(Side side, int threads, int rate, Duration duration, int run, int repetition)
			throws InterruptedException {
		Receiver receiver = side.receiver();
		receiver.reset(run);
		settle();
		CountDownLatch go = new CountDownLatch(1);
		LongAdder published = new LongAdder();
		LongAdder failed = new LongAdder();
		AtomicBoolean stop = new AtomicBoolean();
		long interval = (rate > 0) ? TimeUnit.SECONDS.toNanos(threads) / rate : 0;
		long[] start = new long[1];
		List<Thread> publishers = new ArrayList<>();
		for (int p = 0; p < threads; p++) {
			int publisher = p;
			Thread thread = new Thread(() -> {
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				long seq = 0;
				long offset = (interval * publisher) / threads;
				while (!stop.get()) {
					if (interval > 0) {
						long wait = start[0] + offset + seq * interval - System.nanoTime();
						if (wait > 0) {
							LockSupport.parkNanos(wait);
							continue;
						}
					}
					try {
						side.publish(Tick.of(run, publisher, seq));
						published.increment();
					}
					catch (RuntimeException ex) {
						failed.increment();
					}
					seq++;
				}
			}, "publisher-" + p);
			thread.setDaemon(true);
			publishers.add(thread);
			thread.start();
		}
		long startedBefore = THREADS.getTotalStartedThreadCount();
		THREADS.resetPeakThreadCount();
		start[0] = System.nanoTime();
		go.countDown();
		Thread.sleep(duration.toMillis());
		stop.set(true);
		for (Thread publisher : publishers) {
			publisher.join();
		}
		long publishEnd = System.nanoTime();
		long sent = published.sum() + failed.sum();
		drain(receiver, sent);
		long threadsStarted = THREADS.getTotalStartedThreadCount() - startedBefore;
		int peak = THREADS.getPeakThreadCount();
		int received = receiver.received();
		long[] latency = receiver.percentiles(50, 99, 100);
		long last = receiver.lastReceivedNanos();
		double seconds = (last > start[0] ? last - start[0] : publishEnd - start[0]) / 1e9;
		return new Result(side.name(), rate, threads, repetition, published.sum(), failed.sum(), received, received / seconds,
				sent / ((publishEnd - start[0]) / 1e9), latency[0] / 1e6, latency[1] / 1e6, latency[2] / 1e6,
				receiver.outOfOrder(), threadsStarted, peak);
	}

	private static void drain(Receiver receiver, long sent) throws InterruptedException {
		long begin = System.nanoTime();
		int seen = receiver.received();
		long progressAt = begin;
		while (seen < sent) {
			Thread.sleep(5);
			long now = System.nanoTime();
			int count = receiver.received();
			if (count != seen) {
				seen = count;
				progressAt = now;
			}
			else if (now - progressAt > QUIET_NANOS || now - begin > DRAIN_LIMIT_NANOS) {
				return;
			}
		}
	}

	/** Lets the threads of the previous run end and collects its garbage, so that runs start alike. */
	private static void settle() throws InterruptedException {
		System.gc();
		int previous = -1;
		for (int i = 0; i < 50; i++) {
			Thread.sleep(100);
			int live = THREADS.getThreadCount();
			if (live == previous) {
				return;
			}
			previous = live;
		}
	}

}
