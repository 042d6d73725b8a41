package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Stream meters, tagged {@code stream} and {@code group}: {@code redis.starter.stream.delivered},
 * {@code .acknowledged}, {@code .failed}, {@code .retried}, {@code .reclaimed}, {@code .dead-lettered},
 * {@code .pending.trimmed} (pending entries trimmed from the stream before they were handled, found by the
 * reclaim and acknowledged: lost), {@code .replays.skipped} (dead letters replayed for another group, acknowledged unhandled), {@code .gaps} (a durable-topic instance missed entries that were trimmed, or a group this run had joined was
 * gone from Redis and was created again), {@code .handling} (a timer), and
 * the gauges {@code .lag} (entries not yet delivered to the group, Redis 7), {@code .pending} and
 * {@code .pending.oldest} (seconds the oldest pending entry has waited), refreshed every claim interval; tagged
 * {@code stream} only, {@code redis.starter.stream.dead-letters.trimmed} (old dead letters dropped by the dead-letter
 * stream's length bound, also logged at most once a minute per stream).
 */
public final class StreamMetrics {

	private static final Log logger = LogFactory.getLog(StreamMetrics.class);

	/** The base unit of the entry counters and gauges. */
	private static final String ENTRIES = "entries";

	private static final long TRIM_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

	private final @Nullable MeterRegistry registry;

	private final Map<String, DeadLetterTrims> trims = new ConcurrentHashMap<>();

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

	Meters forGroup(String stream, String group) {
		return new Meters(this.registry, this.handlingTimer, stream, group,
				this.trims.computeIfAbsent(stream, (name) -> new DeadLetterTrims(this.registry, name)));
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
			this.counter = (registry != null) ? Counter.builder("redis.starter.stream.dead-letters.trimmed")
				.description("Old dead letters dropped by the dead-letter stream's length bound")
				.baseUnit(ENTRIES)
				.tag("stream", stream)
				.register(registry) : null;
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
			this.delivered = counter(registry, "delivered", "Entries delivered to the group's listener", ENTRIES, stream,
					group);
			this.acknowledged = counter(registry, "acknowledged", "Handled entries acknowledged, each counted once",
					ENTRIES, stream, group);
			this.failed = counter(registry, "failed", "Entries whose handling failed", ENTRIES, stream, group);
			this.retried = counter(registry, "retried", "Failed entries handled again", ENTRIES, stream, group);
			this.reclaimed = counter(registry, "reclaimed", "Pending entries claimed from a consumer that went quiet",
					ENTRIES, stream, group);
			this.deadLettered = counter(registry, "dead-lettered", "Entries moved to the dead-letter stream", ENTRIES,
					stream, group);
			this.gaps = counter(registry, "gaps", "Gaps: a durable-topic instance missed entries that were trimmed, or"
					+ " a group this run had joined was gone from Redis and was created again", BaseUnits.EVENTS, stream,
					group);
			this.replaysSkipped = counter(registry, "replays.skipped",
					"Dead letters replayed for another group, acknowledged unhandled", ENTRIES, stream, group);
			this.pendingTrimmed = counter(registry, "pending.trimmed",
					"Pending entries trimmed from the stream before they were handled (lost)", ENTRIES, stream, group);
			this.handling = (registry != null && handlingTimer) ? Timer.builder("redis.starter.stream.handling")
				.description("Time the listener took to handle an entry or a batch")
				.tags("stream", stream, "group", group)
				.register(registry) : null;
			if (registry != null) {
				gauge(registry, "redis.starter.stream.lag",
						"Entries not yet delivered to the group (Redis 7; -1 when unknown), refreshed every claim"
								+ " interval", ENTRIES, this.lag, stream, group);
				gauge(registry, "redis.starter.stream.pending",
						"Entries delivered to the group and not yet acknowledged, refreshed every claim interval", ENTRIES,
						this.pending, stream, group);
				gauge(registry, "redis.starter.stream.pending.oldest",
						"Time the oldest pending entry has waited, refreshed every claim interval", "seconds",
						this.oldestPendingSeconds, stream, group);
			}
		}

		/**
		 * The listener's circuit: {@code redis.starter.stream.circuit.state} (0 closed, 1 open, 2 probing) and
		 * {@code redis.starter.stream.circuit.openings}.
		 */
		void circuit(dev.redisstarter.messaging.HandlerCircuit circuit) {
			if (this.registry != null) {
				// A state, not a quantity: no base unit.
				Gauge.builder("redis.starter.stream.circuit.state", circuit, (c) -> c.state().ordinal())
					.description("State of the listener's circuit: 0 closed, 1 open, 2 probing")
					.tags("stream", this.stream, "group", this.group)
					.register(this.registry);
				io.micrometer.core.instrument.FunctionCounter
					.builder("redis.starter.stream.circuit.openings", circuit, (c) -> c.openings())
					.description("Times the listener's circuit opened")
					.baseUnit("openings")
					.tags("stream", this.stream, "group", this.group)
					.register(this.registry);
			}
		}

		private static void gauge(MeterRegistry registry, String name, String description, String unit,
				AtomicLong value, String stream, String group) {
			Gauge.builder(name, value::get)
				.description(description)
				.baseUnit(unit)
				.tags("stream", stream, "group", group)
				.register(registry);
		}

		private static @Nullable Counter counter(@Nullable MeterRegistry registry, String what, String description,
				String unit, String stream, String group) {
			return (registry != null) ? Counter.builder("redis.starter.stream." + what)
				.description(description)
				.baseUnit(unit)
				.tags("stream", stream, "group", group)
				.register(registry) : null;
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
