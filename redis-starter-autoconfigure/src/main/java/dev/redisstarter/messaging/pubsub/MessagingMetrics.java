package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import org.jspecify.annotations.Nullable;

/**
 * Pub/sub meters. Per listener and route (the subscribed channel or pattern, never the matching channel, so
 * a pattern does not multiply meters): {@code redis.starter.messaging.received}, {@code .failed} (tag
 * {@code reason}: handler, payload), {@code .handling} (a timer), {@code .dropped} (a full queue with
 * {@code when-full: drop}) and the gauge {@code .queue.depth}. For the bus: {@code .published} (tag
 * {@code result}: sent, failed) and {@code .requests} (tag {@code result}: replied, failed, timed-out).
 */
public final class MessagingMetrics {

	private static final String DROPPED = "redis.starter.messaging.dropped";

	/** The same for the listeners' counters and the subscriber inbox's function counter of the same name. */
	private static final String DROPPED_DESCRIPTION = "Messages dropped because a full queue could not take them"
			+ " (a listener's queue with when-full: drop, or the subscriber's inbox)";

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
			io.micrometer.core.instrument.FunctionCounter
				.builder(DROPPED, subscriber, PubSubSubscriber::droppedMessages)
				.description(DROPPED_DESCRIPTION)
				.baseUnit(BaseUnits.MESSAGES)
				.tags("listener", "inbox", "route", "*")
				.register(this.registry);
		}
	}

	void published(boolean sent) {
		if (this.registry != null) {
			Counter.builder("redis.starter.messaging.published")
				.description("Messages published, by outcome: sent or failed")
				.baseUnit(BaseUnits.MESSAGES)
				.tags("outcome", sent ? "sent" : "failed")
				.register(this.registry)
				.increment();
		}
	}

	void request(String result) {
		if (this.registry != null) {
			Counter.builder("redis.starter.messaging.requests")
				.description("Requests sent on the bus, by outcome: replied, failed or timed-out")
				.baseUnit("requests")
				.tags("outcome", result)
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
			this.received = Counter.builder("redis.starter.messaging.received")
				.description("Messages a listener received")
				.baseUnit(BaseUnits.MESSAGES)
				.tags("listener", listener, "route", route)
				.register(registry);
			this.failedInHandler = failed(registry, listener, route, "handler");
			this.failedPayload = failed(registry, listener, route, "payload");
			this.dropped = Counter.builder(DROPPED)
				.description(DROPPED_DESCRIPTION)
				.baseUnit(BaseUnits.MESSAGES)
				.tags("listener", listener, "route", route)
				.register(registry);
			this.handling = handlingTimer ? Timer.builder("redis.starter.messaging.handling")
				.description("Time a listener took to handle a message")
				.tags("listener", listener, "route", route)
				.register(registry) : null;
			AtomicReference<IntSupplier> source = this.depth;
			Gauge.builder("redis.starter.messaging.queue.depth", () -> source.get().getAsInt())
				.description("Messages waiting in a listener's queue")
				.baseUnit(BaseUnits.MESSAGES)
				.tags("listener", listener, "route", route)
				.register(registry);
		}

		private static Counter failed(MeterRegistry registry, String listener, String route, String outcome) {
			return Counter.builder("redis.starter.messaging.failed")
				.description("Messages a listener could not handle, by outcome: handler (it threw) or payload (it did"
						+ " not parse)")
				.baseUnit(BaseUnits.MESSAGES)
				.tags("listener", listener, "route", route, "outcome", outcome)
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
