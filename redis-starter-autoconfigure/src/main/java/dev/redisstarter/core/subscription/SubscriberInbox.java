package dev.redisstarter.core.subscription;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.redisstarter.core.subscription.NodeConnection.Op;
import dev.redisstarter.core.StarterThreads;

/**
 * Takes messages off Lettuce's I/O threads: the pub/sub callbacks only queue here, and one delivery thread hands
 * them to the listeners in arrival order. A listener that applies back-pressure ({@link WhenFull#BLOCK}) then
 * holds this thread, never an I/O thread shared with the application's other connections. The inbox is bounded
 * in bytes, as Redis bounds a subscriber's output buffer; beyond it messages are dropped and counted.
 */
final class SubscriberInbox {

	private static final Log logger = LogFactory.getLog(SubscriberInbox.class);

	/** One received message. */
	record Item(Op op, String name, String channel, byte[] body) {

		long size() {
			return this.body.length + this.channel.length() * 2L + 64;
		}

	}

	private final long maxBytes;

	private final Consumer<Item> deliver;

	private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();

	private final AtomicLong bytes = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final Thread thread;

	private volatile boolean closed;

	SubscriberInbox(long maxBytes, Consumer<Item> deliver) {
		this.maxBytes = maxBytes;
		this.deliver = deliver;
		this.thread = StarterThreads.background("pubsub-delivery", this::run);
	}

	private boolean started;

	/** Starts delivering; idempotent, so that a subscriber whose listeners are all served directly needs no thread. */
	synchronized void start() {
		if (!this.started && !this.closed) {
			this.started = true;
			this.thread.start();
		}
	}

	/**
	 * Queues a message; never waits.
	 * @param item the message
	 */
	void offer(Item item) {
		long size = item.size();
		if (this.bytes.addAndGet(size) > this.maxBytes) {
			this.bytes.addAndGet(-size);
			long count = this.dropped.incrementAndGet();
			if (count == 1 || count % 10_000 == 0) {
				logger.warn("The pub/sub inbox is full (" + this.maxBytes + " bytes waiting for listeners that are"
						+ " behind): " + count + " message(s) dropped so far (redis.starter.messaging.inbox-limit)");
			}
			return;
		}
		this.queue.add(item);
	}

	long dropped() {
		return this.dropped.get();
	}

	private void run() {
		while (!this.closed) {
			Item item;
			try {
				item = this.queue.take();
			}
			catch (InterruptedException ex) {
				return;
			}
			this.bytes.addAndGet(-item.size());
			try {
				this.deliver.accept(item);
			}
			catch (RuntimeException | Error ex) {
				logger.error("Delivering a message of " + item.channel() + " failed", ex);
			}
		}
	}

	void close() {
		this.closed = true;
		this.thread.interrupt();
	}

}
