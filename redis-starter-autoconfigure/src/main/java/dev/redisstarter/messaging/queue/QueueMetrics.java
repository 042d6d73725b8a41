package dev.redisstarter.messaging.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.messaging.HandlerCircuit;

/**
 * The job queue's meters, tagged {@code queue}: counters {@code redis.starter.queue.enqueued}, {@code .started},
 * {@code .completed}, {@code .failed}, {@code .retried}, {@code .stalled} (lease expired while the handler ran),
 * {@code .reclaimed} (lease expired before a start mark arrived: taken ahead, or finished with its outcome lost),
 * {@code .dead-lettered}, {@code .dead-letters.trimmed} (dropped to keep the dead letters' bounds); timers
 * {@code redis.starter.queue.waiting} (enqueue or run-at to start) and {@code .handling}; gauges
 * {@code redis.starter.queue.jobs} tagged {@code state} (waiting, delayed, active, dead), refreshed by the
 * workers' maintenance; the gauge {@code redis.starter.queue.unhandled}, the jobs due on a queue this instance enqueued
 * to that no worker serves (0 when served, see {@link UnhandledQueues}); for each queue this application handles, {@code redis.starter.queue.circuit.openings} (how
 * many times its handler's circuit opened) and the gauge {@code redis.starter.queue.circuit.open} (1 while open or
 * probing, else 0).
 */
public final class QueueMetrics {

	/** The base unit of the job counters and gauges. */
	private static final String JOBS = "jobs";

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
			this.enqueued = counter(registry, "enqueued", "Jobs enqueued, scheduled jobs included", queue);
			this.started = counter(registry, "started", "Job attempts started", queue);
			this.completed = counter(registry, "completed", "Jobs completed, each counted once", queue);
			this.failed = counter(registry, "failed", "Job attempts whose handler failed", queue);
			this.retried = counter(registry, "retried", "Failed jobs scheduled for another attempt", queue);
			this.stalled = counter(registry, "stalled", "Jobs whose lease expired while the handler ran", queue);
			this.reclaimed = counter(registry, "reclaimed",
					"Jobs whose lease expired before a start mark arrived, taken back to be run again", queue);
			this.deadLettered = counter(registry, "dead-lettered", "Jobs moved to the dead letters, attempts spent",
					queue);
			this.deadLettersTrimmed = counter(registry, "dead-letters.trimmed",
					"Dead letters dropped to keep the dead letters' bounds", queue);
			this.waiting = (registry != null) ? Timer.builder("redis.starter.queue.waiting")
				.description("Time jobs waited from enqueue, or from the due time of a delayed job, to their start")
				.tag("queue", queue)
				.register(registry) : null;
			this.handling = (registry != null && handlingTimer) ? Timer.builder("redis.starter.queue.handling")
				.description("Time the handler took to run a job attempt")
				.tag("queue", queue)
				.register(registry) : null;
			if (registry != null) {
				gauge(registry, queue, "waiting", this.waitingJobs);
				gauge(registry, queue, "delayed", this.delayedJobs);
				gauge(registry, queue, "active", this.activeJobs);
				gauge(registry, queue, "dead", this.deadJobs);
				Gauge.builder("redis.starter.queue.unhandled", this.unhandledJobs::get)
					.description("Jobs due on a queue this instance enqueued to that no worker serves (0 while served)")
					.baseUnit(JOBS)
					.tag("queue", queue)
					.register(registry);
			}
		}

		private static void gauge(MeterRegistry registry, String queue, String state, AtomicLong value) {
			Gauge.builder("redis.starter.queue.jobs", value::get)
				.description("Jobs in the queue by state (waiting, delayed, active, dead), refreshed every stalled-interval")
				.baseUnit(JOBS)
				.tags("queue", queue, "state", state)
				.register(registry);
		}

		private static @Nullable Counter counter(@Nullable MeterRegistry registry, String what, String description,
				String queue) {
			return (registry != null) ? Counter.builder("redis.starter.queue." + what)
				.description(description)
				.baseUnit(JOBS)
				.tag("queue", queue)
				.register(registry) : null;
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
			FunctionCounter.builder("redis.starter.queue.circuit.openings", circuit, HandlerCircuit::openings)
				.description("Times the job handler's circuit opened")
				.baseUnit("openings")
				.tag("queue", this.queue)
				.register(this.registry);
			// A state, not a quantity: no base unit.
			Gauge.builder("redis.starter.queue.circuit.open", circuit,
					(c) -> (c.state() == HandlerCircuit.State.CLOSED) ? 0 : 1)
				.description("1 while the job handler's circuit is open or probing, else 0")
				.tag("queue", this.queue)
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
