package dev.redisstarter.messaging.pubsub;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.redisstarter.core.StarterThreads;

/**
 * Hands one listener's messages to a fixed number of threads through bounded queues. With
 * {@linkplain DispatchSettings#ordered() order kept}, each channel maps to one lane (one thread, one queue),
 * so a channel's messages are handled one at a time in the order they arrived; otherwise all threads take
 * from one queue. A full queue applies the {@link WhenFull} policy. Nothing here creates a thread per
 * message.
 */
final class ListenerDispatcher {

	private static final Log logger = LogFactory.getLog(ListenerDispatcher.class);

	private final String name;

	private final DispatchSettings settings;

	private final MessagingMetrics.ListenerMeters meters;

	private final BlockingQueue<Runnable>[] queues;

	private final Thread[] threads;

	private final AtomicLong dropped = new AtomicLong();

	private final StarterThreads starterThreads;

	private volatile boolean stopping;

	@SuppressWarnings("unchecked")
	ListenerDispatcher(String name, DispatchSettings settings, MessagingMetrics.ListenerMeters meters,
			StarterThreads starterThreads) {
		this.name = name;
		this.starterThreads = starterThreads;
		this.settings = settings;
		this.meters = meters;
		int lanes = settings.ordered() ? settings.concurrency() : 1;
		this.queues = new BlockingQueue[lanes];
		for (int i = 0; i < lanes; i++) {
			this.queues[i] = new ArrayBlockingQueue<>(Math.max(1, settings.queueCapacity() / lanes));
		}
		this.threads = new Thread[settings.concurrency()];
		ThreadFactory factory = starterThreads.handlerFactory("pubsub", name);
		for (int i = 0; i < this.threads.length; i++) {
			BlockingQueue<Runnable> queue = this.queues[settings.ordered() ? i : 0];
			this.threads[i] = factory.newThread(() -> work(queue));
		}
		meters.queueDepth(this::depth);
	}

	void start() {
		for (Thread thread : this.threads) {
			thread.start();
		}
	}

	/**
	 * Queues one message's work.
	 * @param channel the channel it came on (picks the lane when order is kept)
	 * @param call what handles it
	 * @return false when it was dropped
	 */
	boolean dispatch(String channel, Runnable call) {
		if (this.stopping) {
			return false;
		}
		Runnable work = this.starterThreads.decorate(call);
		BlockingQueue<Runnable> queue = this.queues[(this.queues.length == 1) ? 0
				: Math.floorMod(channel.hashCode(), this.queues.length)];
		if (queue.offer(work)) {
			return true;
		}
		if (this.settings.whenFull() == WhenFull.DROP) {
			long count = this.dropped.incrementAndGet();
			this.meters.dropped();
			if (count == 1 || count % 10_000 == 0) {
				logger.warn("Listener " + this.name + " is behind: its queue of " + this.settings.queueCapacity()
						+ " is full, " + count + " message(s) dropped so far (when-full: drop)");
			}
			return false;
		}
		try {
			while (!this.stopping) {
				if (queue.offer(work, 100, TimeUnit.MILLISECONDS)) {
					return true;
				}
			}
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void work(BlockingQueue<Runnable> queue) {
		while (true) {
			Runnable next;
			try {
				next = this.stopping ? queue.poll() : queue.poll(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				return;
			}
			if (next != null) {
				try {
					next.run();
				}
				catch (RuntimeException | Error ex) {
					// The invoker reports listener failures itself; this is a last guard so the lane never dies.
					logger.error("Listener " + this.name + " failed outside its error handling", ex);
				}
			}
			else if (this.stopping) {
				return;
			}
		}
	}

	private int depth() {
		int depth = 0;
		for (BlockingQueue<Runnable> queue : this.queues) {
			depth += queue.size();
		}
		return depth;
	}

	/**
	 * Stops taking messages and lets the threads finish what is queued, at most {@code wait}; then interrupts
	 * them.
	 * @param wait how long to let queued messages be handled
	 */
	void stop(Duration wait) {
		this.stopping = true;
		long deadline = System.nanoTime() + wait.toNanos();
		for (Thread thread : this.threads) {
			long left = deadline - System.nanoTime();
			try {
				if (left > 0) {
					thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		int left = depth();
		for (Thread thread : this.threads) {
			thread.interrupt();
		}
		if (left > 0) {
			logger.warn("Listener " + this.name + " stopped with " + left + " message(s) not handled");
		}
	}

	int threadCount() {
		return this.threads.length;
	}

}
