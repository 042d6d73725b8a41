package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Pub/sub meters. Per listener and route (the subscribed channel or pattern, never the matching channel, so
 * a pattern does not multiply meters): {@code redis.starter.messaging.received}, {@code .failed} (tag
 * {@code reason}: handler, payload), {@code .handling} (a timer), {@code .dropped} (a full queue with
 * {@code when-full: drop}) and the gauge {@code .queue.depth}. For the bus: {@code .published} (tag
 * {@code result}: sent, failed) and {@code .requests} (tag {@code result}: replied, failed, timed-out).
 */
public final class MessagingMetrics {

	private final @Nullable MeterRegistry registry;

	/** Bounded by the application's listeners and their subscribed routes. */
	private final java.util.Map<String, ListenerMeters> listeners = new java.util.concurrent.ConcurrentHashMap<>();

	private final boolean handlingTimer;

	/**
	 * Metrics into a registry.
	 * @param registry the registry, or {@code null} for none
	 */
	public MessagingMetrics(@Nullable MeterRegistry registry) {
		this(registry, true);
	}

	/**
	 * Meters in a registry.
	 * @param registry the registry, or null for none
	 * @param handlingTimer whether to time each handling; not when observations time it (their timer has the
	 * observation's name)
	 */
	public MessagingMetrics(@Nullable MeterRegistry registry, boolean handlingTimer) {
		this.registry = registry;
		this.handlingTimer = handlingTimer;
	}

	/**
	 * Counts what a subscriber's full inbox dropped, as {@code redis.starter.messaging.dropped} with
	 * {@code listener=inbox}.
	 * @param subscriber the subscriber
	 */
	public void inbox(PubSubSubscriber subscriber) {
		if (this.registry != null) {
			io.micrometer.core.instrument.FunctionCounter
				.builder("redis.starter.messaging.dropped", subscriber, PubSubSubscriber::droppedMessages)
				.tags("listener", "inbox", "route", "*")
				.register(this.registry);
		}
	}

	void published(boolean sent) {
		if (this.registry != null) {
			this.registry.counter("redis.starter.messaging.published", "outcome", sent ? "sent" : "failed").increment();
		}
	}

	void request(String result) {
		if (this.registry != null) {
			this.registry.counter("redis.starter.messaging.requests", "outcome", result).increment();
		}
	}

	/**
	 * One listener's meters, the same object every time (a listener that stops and starts again keeps feeding
	 * the gauge that Micrometer registered first).
	 */
	ListenerMeters listener(String listener, String route) {
		return this.listeners.computeIfAbsent(listener + '\u0000' + route,
				(key) -> new ListenerMeters(this.registry, listener, route, this.handlingTimer));
	}

	/** One listener's meters on one route. */
	static final class ListenerMeters {

		private final @Nullable Counter received;

		private final @Nullable Counter failedInHandler;

		private final @Nullable Counter failedPayload;

		private final @Nullable Counter dropped;

		private final @Nullable Timer handling;

		private final AtomicReference<IntSupplier> depth = new AtomicReference<>(() -> 0);

		ListenerMeters(@Nullable MeterRegistry registry, String listener, String route, boolean handlingTimer) {
			if (registry == null) {
				this.received = null;
				this.failedInHandler = null;
				this.failedPayload = null;
				this.dropped = null;
				this.handling = null;
				return;
			}
			this.received = registry.counter("redis.starter.messaging.received", "listener", listener, "route", route);
			this.failedInHandler = registry.counter("redis.starter.messaging.failed", "listener", listener, "route",
					route, "outcome", "handler");
			this.failedPayload = registry.counter("redis.starter.messaging.failed", "listener", listener, "route",
					route, "outcome", "payload");
			this.dropped = registry.counter("redis.starter.messaging.dropped", "listener", listener, "route", route);
			this.handling = handlingTimer ? Timer.builder("redis.starter.messaging.handling")
				.tags("listener", listener, "route", route)
				.register(registry) : null;
			AtomicReference<IntSupplier> source = this.depth;
			Gauge.builder("redis.starter.messaging.queue.depth", () -> source.get().getAsInt())
				.tags("listener", listener, "route", route)
				.register(registry);
		}

		void queueDepth(IntSupplier supplier) {
			this.depth.set(supplier);
		}

		void received() {
			if (this.received != null) {
				this.received.increment();
			}
		}

		void failed(boolean payload) {
			Counter counter = payload ? this.failedPayload : this.failedInHandler;
			if (counter != null) {
				counter.increment();
			}
		}

		void dropped() {
			if (this.dropped != null) {
				this.dropped.increment();
			}
		}

		void handled(long nanos) {
			if (this.handling != null) {
				this.handling.record(nanos, TimeUnit.NANOSECONDS);
			}
		}

	}

}
