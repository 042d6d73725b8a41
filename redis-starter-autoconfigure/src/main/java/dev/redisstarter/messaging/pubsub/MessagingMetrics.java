package dev.redisstarter.messaging.pubsub;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.MeterTag;
import dev.redisstarter.core.subscription.PubSubSubscriber;

/**
 * Records pub/sub's meters ({@link MessagingMeter}): per listener and route, and for the bus.
 */
public final class MessagingMetrics {

	private static final String LISTENER = MeterTag.LISTENER.asString();

	private static final String ROUTE = MeterTag.ROUTE.asString();

	private static final String OUTCOME = MeterTag.OUTCOME.asString();

	private final @Nullable MeterRegistry registry;

	/** Bounded by the application's listeners and their subscribed routes. */
	private final java.util.Map<String, ListenerMeters> listeners = new java.util.concurrent.ConcurrentHashMap<>();

	private final boolean handlingTimer;

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
			MessagingMeter.DROPPED.functionCounterBuilder(subscriber, PubSubSubscriber::droppedMessages)
				.tags(LISTENER, "inbox", ROUTE, "*")
				.register(this.registry);
		}
	}

	void published(boolean sent) {
		if (this.registry != null) {
			MessagingMeter.PUBLISHED.counterBuilder()
				.tags(OUTCOME, sent ? "sent" : "failed")
				.register(this.registry)
				.increment();
		}
	}

	void request(String result) {
		if (this.registry != null) {
			MessagingMeter.REQUESTS.counterBuilder()
				.tags(OUTCOME, result)
				.register(this.registry)
				.increment();
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
			this.received = MessagingMeter.RECEIVED.counterBuilder().tags(LISTENER, listener, ROUTE, route).register(registry);
			this.failedInHandler = failed(registry, listener, route, "handler");
			this.failedPayload = failed(registry, listener, route, "payload");
			this.dropped = MessagingMeter.DROPPED.counterBuilder().tags(LISTENER, listener, ROUTE, route).register(registry);
			this.handling = handlingTimer
					? MessagingMeter.HANDLING.timerBuilder().tags(LISTENER, listener, ROUTE, route).register(registry) : null;
			// Held strongly, as the value gauges always were: the meters object may be replaced, the gauge is not.
			MessagingMeter.QUEUE_DEPTH.gaugeBuilder(this.depth, (source) -> source.get().getAsInt())
				.strongReference(true)
				.tags(LISTENER, listener, ROUTE, route)
				.register(registry);
		}

		private static Counter failed(MeterRegistry registry, String listener, String route, String outcome) {
			return MessagingMeter.FAILED.counterBuilder()
				.tags(LISTENER, listener, ROUTE, route, OUTCOME, outcome)
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
