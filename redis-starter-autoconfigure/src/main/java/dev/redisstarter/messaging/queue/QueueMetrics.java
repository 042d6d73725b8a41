package dev.redisstarter.messaging.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.MeterTag;
import dev.redisstarter.messaging.HandlerCircuit;

/**
 * Records the job queue's meters ({@link QueueMeter}), one set per queue name.
 */
public final class QueueMetrics {

	private static final String QUEUE = MeterTag.QUEUE.asString();

	private final @Nullable MeterRegistry registry;

	private final Map<String, Meters> byQueue = new ConcurrentHashMap<>();

	private final boolean handlingTimer;

	/**
	 * Meters in a registry.
	 * @param registry the registry, or null for none
	 * @param handlingTimer whether to time each handling; not when observations time it (their timer has the
	 * observation's name)
	 */
	public QueueMetrics(@Nullable MeterRegistry registry, boolean handlingTimer) {
		this.registry = registry;
		this.handlingTimer = handlingTimer;
	}

	Meters of(String queue) {
		return this.byQueue.computeIfAbsent(queue, (name) -> new Meters(this.registry, name, this.handlingTimer));
	}

	static final class Meters {

		private final @Nullable Counter enqueued;

		private final @Nullable Counter started;

		private final @Nullable Counter completed;

		private final @Nullable Counter failed;

		private final @Nullable Counter retried;

		private final @Nullable Counter stalled;

		private final @Nullable Counter reclaimed;

		private final @Nullable Counter deadLettered;

		private final @Nullable Counter deadLettersTrimmed;

		private final @Nullable Timer waiting;

		private final @Nullable Timer handling;

		final AtomicLong waitingJobs = new AtomicLong();

		final AtomicLong delayedJobs = new AtomicLong();

		final AtomicLong activeJobs = new AtomicLong();

		final AtomicLong deadJobs = new AtomicLong();

		final AtomicLong unhandledJobs = new AtomicLong();

		private final @Nullable MeterRegistry registry;

		private final String queue;

		Meters(@Nullable MeterRegistry registry, String queue, boolean handlingTimer) {
			this.registry = registry;
			this.queue = queue;
			this.enqueued = counter(registry, QueueMeter.ENQUEUED, queue);
			this.started = counter(registry, QueueMeter.STARTED, queue);
			this.completed = counter(registry, QueueMeter.COMPLETED, queue);
			this.failed = counter(registry, QueueMeter.FAILED, queue);
			this.retried = counter(registry, QueueMeter.RETRIED, queue);
			this.stalled = counter(registry, QueueMeter.STALLED, queue);
			this.reclaimed = counter(registry, QueueMeter.RECLAIMED, queue);
			this.deadLettered = counter(registry, QueueMeter.DEAD_LETTERED, queue);
			this.deadLettersTrimmed = counter(registry, QueueMeter.DEAD_LETTERS_TRIMMED, queue);
			this.waiting = (registry != null) ? QueueMeter.WAITING.timerBuilder().tag(QUEUE, queue).register(registry) : null;
			this.handling = (registry != null && handlingTimer)
					? QueueMeter.HANDLING.timerBuilder().tag(QUEUE, queue).register(registry) : null;
			if (registry != null) {
				gauge(registry, queue, "waiting", this.waitingJobs);
				gauge(registry, queue, "delayed", this.delayedJobs);
				gauge(registry, queue, "active", this.activeJobs);
				gauge(registry, queue, "dead", this.deadJobs);
				QueueMeter.UNHANDLED.gaugeBuilder(this.unhandledJobs, AtomicLong::get)
					.strongReference(true)
					.tag(QUEUE, queue)
					.register(registry);
			}
		}

		private static void gauge(MeterRegistry registry, String queue, String state, AtomicLong value) {
			QueueMeter.JOBS.gaugeBuilder(value, AtomicLong::get)
				.strongReference(true)
				.tags(QUEUE, queue, MeterTag.STATE.asString(), state)
				.register(registry);
		}

		private static @Nullable Counter counter(@Nullable MeterRegistry registry, QueueMeter meter, String queue) {
			return (registry != null) ? meter.counterBuilder().tag(QUEUE, queue).register(registry) : null;
		}

		private static void add(@Nullable Counter counter, long amount) {
			if (counter != null && amount > 0) {
				counter.increment(amount);
			}
		}

		/** Meters of the handler's circuit (one worker per queue in an application). */
		void circuit(HandlerCircuit circuit) {
			if (this.registry == null) {
				return;
			}
			QueueMeter.CIRCUIT_OPENINGS.functionCounterBuilder(circuit, HandlerCircuit::openings)
				.tag(QUEUE, this.queue)
				.register(this.registry);
			QueueMeter.CIRCUIT_OPEN.gaugeBuilder(circuit, (c) -> (c.state() == HandlerCircuit.State.CLOSED) ? 0 : 1)
				.tag(QUEUE, this.queue)
				.register(this.registry);
		}

		void enqueued(long n) {
			add(this.enqueued, n);
		}

		void started(long waitedMillis) {
			add(this.started, 1);
			if (this.waiting != null) {
				this.waiting.record(Math.max(0, waitedMillis), TimeUnit.MILLISECONDS);
			}
		}

		void completed(long n) {
			add(this.completed, n);
		}

		void failed() {
			add(this.failed, 1);
		}

		void retried() {
			add(this.retried, 1);
		}

		void stalled(long n) {
			add(this.stalled, n);
		}

		void reclaimed(long n) {
			add(this.reclaimed, n);
		}

		void deadLettersTrimmed(long n) {
			add(this.deadLettersTrimmed, n);
		}

		void deadLettered(long n) {
			add(this.deadLettered, n);
		}

		void handled(long nanos) {
			if (this.handling != null) {
				this.handling.record(nanos, TimeUnit.NANOSECONDS);
			}
		}

		void unhandled(long jobs) {
			this.unhandledJobs.set(jobs);
		}

		void counts(QueueCounts counts) {
			this.waitingJobs.set(counts.waiting());
			this.delayedJobs.set(counts.delayed());
			this.activeJobs.set(counts.active());
			this.deadJobs.set(counts.dead());
		}

	}

}
