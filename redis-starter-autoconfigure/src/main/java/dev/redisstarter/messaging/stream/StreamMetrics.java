package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.MeterTag;

/**
 * Records the streams' meters ({@link StreamMeter}), one set per stream and group; logs the dead letters that the
 * length bound drops.
 */
public final class StreamMetrics {

	private static final Log logger = LogFactory.getLog(StreamMetrics.class);

	private static final String STREAM = MeterTag.STREAM.asString();

	private static final String GROUP = MeterTag.GROUP.asString();

	private static final long TRIM_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

	private final @Nullable MeterRegistry registry;

	private final Map<String, DeadLetterTrims> trims = new ConcurrentHashMap<>();

	/** Bounded by the application's stream listeners. */
	private final Map<String, Meters> groups = new ConcurrentHashMap<>();

	private final boolean handlingTimer;

	/**
	 * Meters in a registry.
	 * @param registry the registry, or null for none
	 * @param handlingTimer whether to time each handling; not when observations time it (their timer has the
	 * observation's name)
	 */
	public StreamMetrics(@Nullable MeterRegistry registry, boolean handlingTimer) {
		this.registry = registry;
		this.handlingTimer = handlingTimer;
	}

	/**
	 * A group's meters, the same object every time: Micrometer keeps the gauge registered first, so a consumer started
	 * again (or a second listener of the group) must feed that gauge's values, not values of its own.
	 */
	Meters forGroup(String stream, String group) {
		return this.groups.computeIfAbsent(stream + '\u0000' + group, (key) -> new Meters(this.registry,
				this.handlingTimer, stream, group,
				this.trims.computeIfAbsent(stream, (name) -> new DeadLetterTrims(this.registry, name))));
	}

	/**
	 * How many old dead letters of a stream its length bound dropped since this application started (counted by this
	 * instance's consumers).
	 * @param stream the stream's name
	 * @return the count
	 */
	public long deadLettersTrimmed(String stream) {
		DeadLetterTrims counted = this.trims.get(stream);
		return (counted != null) ? counted.total() : 0;
	}

	/** One stream's dead letters dropped by its length bound: counted, and logged once per burst. */
	static final class DeadLetterTrims {

		private final String stream;

		private final @Nullable Counter counter;

		private long total;

		private long unlogged;

		private long loggedAt;

		private boolean logged;

		DeadLetterTrims(@Nullable MeterRegistry registry, String stream) {
			this.stream = stream;
			this.counter = (registry != null) ? StreamMeter.DEAD_LETTERS_TRIMMED.counterBuilder().tag(STREAM, stream).register(registry) : null;
		}

		synchronized void add(long count) {
			this.total += count;
			this.unlogged += count;
			if (this.counter != null) {
				this.counter.increment(count);
			}
			long now = System.nanoTime();
			if (!this.logged || now - this.loggedAt >= TRIM_LOG_INTERVAL_NANOS) {
				logger.warn("Stream '" + this.stream + "': the dead-letter stream reached its length bound"
						+ " (dead-letter-max-length); " + this.unlogged + " of its oldest dead letters were dropped for good"
						+ (this.logged ? " since the last warning" : "") + " (" + this.total + " since start; counted in"
						+ " redis.starter.stream.dead-letters.trimmed; replay or purge them, or raise the bound)");
				this.logged = true;
				this.loggedAt = now;
				this.unlogged = 0;
			}
		}

		synchronized long total() {
			return this.total;
		}

	}

	/** One group's meters. */
	static final class Meters {

		private final @Nullable Counter delivered;

		private final @Nullable Counter acknowledged;

		private final @Nullable Counter failed;

		private final @Nullable Counter retried;

		private final @Nullable Counter reclaimed;

		private final @Nullable Counter deadLettered;

		private final @Nullable Counter gaps;

		private final @Nullable Counter replaysSkipped;

		private final @Nullable Counter pendingTrimmed;

		private final @Nullable Timer handling;

		final AtomicLong lag = new AtomicLong(-1);

		final AtomicLong pending = new AtomicLong();

		final AtomicLong oldestPendingSeconds = new AtomicLong();

		private final @Nullable MeterRegistry registry;

		private final String stream;

		private final String group;

		private final DeadLetterTrims trims;

		Meters(@Nullable MeterRegistry registry, boolean handlingTimer, String stream, String group, DeadLetterTrims trims) {
			this.trims = trims;
			this.registry = registry;
			this.stream = stream;
			this.group = group;
			this.delivered = counter(registry, StreamMeter.DELIVERED, stream, group);
			this.acknowledged = counter(registry, StreamMeter.ACKNOWLEDGED, stream, group);
			this.failed = counter(registry, StreamMeter.FAILED, stream, group);
			this.retried = counter(registry, StreamMeter.RETRIED, stream, group);
			this.reclaimed = counter(registry, StreamMeter.RECLAIMED, stream, group);
			this.deadLettered = counter(registry, StreamMeter.DEAD_LETTERED, stream, group);
			this.gaps = counter(registry, StreamMeter.GAPS, stream, group);
			this.replaysSkipped = counter(registry, StreamMeter.REPLAYS_SKIPPED, stream, group);
			this.pendingTrimmed = counter(registry, StreamMeter.PENDING_TRIMMED, stream, group);
			this.handling = (registry != null && handlingTimer)
					? StreamMeter.HANDLING.timerBuilder().tags(STREAM, stream, GROUP, group).register(registry) : null;
			if (registry != null) {
				gauge(registry, StreamMeter.LAG, this.lag, stream, group);
				gauge(registry, StreamMeter.PENDING, this.pending, stream, group);
				gauge(registry, StreamMeter.PENDING_OLDEST, this.oldestPendingSeconds, stream, group);
			}
		}

		/**
		 * The listener's circuit: {@code redis.starter.stream.circuit.state} (0 closed, 1 open, 2 probing) and
		 * {@code redis.starter.stream.circuit.openings}.
		 */
		void circuit(dev.redisstarter.messaging.HandlerCircuit circuit) {
			if (this.registry != null) {
				StreamMeter.CIRCUIT_STATE.gaugeBuilder(circuit, (c) -> c.state().ordinal())
					.tags(STREAM, this.stream, GROUP, this.group)
					.register(this.registry);
				StreamMeter.CIRCUIT_OPENINGS.functionCounterBuilder(circuit, (c) -> c.openings())
					.tags(STREAM, this.stream, GROUP, this.group)
					.register(this.registry);
			}
		}

		private static void gauge(MeterRegistry registry, StreamMeter meter, AtomicLong value, String stream,
				String group) {
			// Held strongly, as the value gauges always were: a group's meters object may be replaced, the gauge is not.
			meter.gaugeBuilder(value, AtomicLong::get).strongReference(true).tags(STREAM, stream, GROUP, group)
				.register(registry);
		}

		private static @Nullable Counter counter(@Nullable MeterRegistry registry, StreamMeter meter, String stream,
				String group) {
			return (registry != null) ? meter.counterBuilder().tags(STREAM, stream, GROUP, group).register(registry) : null;
		}

		private static void add(@Nullable Counter counter, long amount) {
			if (counter != null) {
				counter.increment(amount);
			}
		}

		void delivered(long n) {
			add(this.delivered, n);
		}

		void acknowledged(long n) {
			add(this.acknowledged, n);
		}

		void failed(long n) {
			add(this.failed, n);
		}

		void retried() {
			add(this.retried, 1);
		}

		void reclaimed(long n) {
			add(this.reclaimed, n);
		}

		void deadLettered() {
			add(this.deadLettered, 1);
		}

		void deadLettersTrimmed(long n) {
			this.trims.add(n);
		}

		void gap() {
			add(this.gaps, 1);
		}

		void pendingTrimmed(long n) {
			add(this.pendingTrimmed, n);
		}

		void replaySkipped(long n) {
			add(this.replaysSkipped, n);
		}

		void handled(long nanos) {
			if (this.handling != null) {
				this.handling.record(nanos, TimeUnit.NANOSECONDS);
			}
		}

	}

}
