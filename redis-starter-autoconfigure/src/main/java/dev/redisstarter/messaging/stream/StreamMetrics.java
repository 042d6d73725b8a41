package dev.redisstarter.messaging.stream;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Stream meters, tagged {@code stream} and {@code group}: {@code redis.starter.stream.delivered},
 * {@code .acknowledged}, {@code .failed}, {@code .retried}, {@code .reclaimed}, {@code .dead-lettered},
 * {@code .replays.skipped} (dead letters replayed for another group, acknowledged unhandled), {@code .gaps} (a durable-topic instance missed entries that were trimmed, or a group this run had joined was
 * gone from Redis and was created again), {@code .handling} (a timer), and
 * the gauges {@code .lag} (entries not yet delivered to the group, Redis 7), {@code .pending} and
 * {@code .pending.oldest} (seconds the oldest pending entry has waited), refreshed every claim interval.
 */
public final class StreamMetrics {

	private final @Nullable MeterRegistry registry;

	/**
	 * Metrics into a registry.
	 * @param registry the registry, or {@code null} for none
	 */
	public StreamMetrics(@Nullable MeterRegistry registry) {
		this.registry = registry;
	}

	Meters forGroup(String stream, String group) {
		return new Meters(this.registry, stream, group);
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

		private final @Nullable Timer handling;

		final AtomicLong lag = new AtomicLong(-1);

		final AtomicLong pending = new AtomicLong();

		final AtomicLong oldestPendingSeconds = new AtomicLong();

		private final @Nullable MeterRegistry registry;

		private final String stream;

		private final String group;

		Meters(@Nullable MeterRegistry registry, String stream, String group) {
			this.registry = registry;
			this.stream = stream;
			this.group = group;
			this.delivered = counter(registry, "delivered", stream, group);
			this.acknowledged = counter(registry, "acknowledged", stream, group);
			this.failed = counter(registry, "failed", stream, group);
			this.retried = counter(registry, "retried", stream, group);
			this.reclaimed = counter(registry, "reclaimed", stream, group);
			this.deadLettered = counter(registry, "dead-lettered", stream, group);
			this.gaps = counter(registry, "gaps", stream, group);
			this.replaysSkipped = counter(registry, "replays.skipped", stream, group);
			this.handling = (registry != null) ? Timer.builder("redis.starter.stream.handling")
				.tags("stream", stream, "group", group)
				.register(registry) : null;
			if (registry != null) {
				gauge(registry, "redis.starter.stream.lag", this.lag, stream, group);
				gauge(registry, "redis.starter.stream.pending", this.pending, stream, group);
				gauge(registry, "redis.starter.stream.pending.oldest", this.oldestPendingSeconds, stream, group);
			}
		}

		/**
		 * The listener's circuit: {@code redis.starter.stream.circuit.state} (0 closed, 1 open, 2 probing) and
		 * {@code redis.starter.stream.circuit.openings}.
		 */
		void circuit(dev.redisstarter.messaging.HandlerCircuit circuit) {
			if (this.registry != null) {
				Gauge.builder("redis.starter.stream.circuit.state", circuit, (c) -> c.state().ordinal())
					.tags("stream", this.stream, "group", this.group)
					.register(this.registry);
				io.micrometer.core.instrument.FunctionCounter
					.builder("redis.starter.stream.circuit.openings", circuit, (c) -> c.openings())
					.tags("stream", this.stream, "group", this.group)
					.register(this.registry);
			}
		}

		private static void gauge(MeterRegistry registry, String name, AtomicLong value, String stream, String group) {
			Gauge.builder(name, value::get).tags("stream", stream, "group", group).register(registry);
		}

		private static @Nullable Counter counter(@Nullable MeterRegistry registry, String what, String stream,
				String group) {
			return (registry != null) ? registry.counter("redis.starter.stream." + what, "stream", stream, "group", group)
					: null;
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

		void gap() {
			add(this.gaps, 1);
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
