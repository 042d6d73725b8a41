package dev.redisstarter.messaging.pubsub;

import io.micrometer.core.instrument.binder.BaseUnits;

import dev.redisstarter.core.MeterSpec;
import dev.redisstarter.core.StarterMeter;

import static dev.redisstarter.core.MeterSpec.counter;
import static dev.redisstarter.core.MeterSpec.gauge;
import static dev.redisstarter.core.MeterSpec.timer;
import static dev.redisstarter.core.MeterTag.LISTENER;
import static dev.redisstarter.core.MeterTag.OUTCOME;
import static dev.redisstarter.core.MeterTag.ROUTE;

/**
 * Pub/sub's meters. A listener's are tagged {@code listener} and {@code route}: the subscribed channel or pattern,
 * never the matching channel, so that a pattern does not multiply meters.
 */
public enum MessagingMeter implements StarterMeter {

	/** Messages a listener received. */
	RECEIVED(counter("redis.starter.messaging.received", BaseUnits.MESSAGES, "Messages a listener received", LISTENER,
			ROUTE)),

	/** Messages a listener could not handle. */
	FAILED(counter("redis.starter.messaging.failed", BaseUnits.MESSAGES, "Messages a listener could not handle, by"
			+ " outcome: handler (it threw) or payload (it did not parse)", LISTENER, ROUTE, OUTCOME)),

	/** Messages a full queue dropped; the subscriber's inbox counts as {@code listener=inbox}, {@code route=*}. */
	DROPPED(counter("redis.starter.messaging.dropped", BaseUnits.MESSAGES, "Messages dropped because a full queue could"
			+ " not take them (a listener's queue with when-full: drop, or the subscriber's inbox)", LISTENER, ROUTE)),

	/** Handling time, only without observations (the observation's timer times it then). */
	HANDLING(timer("redis.starter.messaging.handling", "Time a listener took to handle a message", LISTENER, ROUTE)),

	/** A listener's queue. */
	QUEUE_DEPTH(gauge("redis.starter.messaging.queue.depth", BaseUnits.MESSAGES, "Messages waiting in a listener's queue",
			LISTENER, ROUTE)),

	/** Messages published by the bus. */
	PUBLISHED(counter("redis.starter.messaging.published", BaseUnits.MESSAGES,
			"Messages published, by outcome: sent or failed", OUTCOME)),

	/** Requests sent by the bus. */
	REQUESTS(counter("redis.starter.messaging.requests", "requests",
			"Requests sent on the bus, by outcome: replied, failed or timed-out", OUTCOME));

	private final MeterSpec spec;

	MessagingMeter(MeterSpec spec) {
		this.spec = spec;
	}

	@Override
	public MeterSpec spec() {
		return this.spec;
	}

}
