package dev.redisstarter.benchmarks.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import dev.redisstarter.autoconfigure.RedisStarterAutoConfiguration;
import dev.redisstarter.autoconfigure.RedisStarterQueueAutoConfiguration;
import dev.redisstarter.messaging.queue.JobHandler;
import dev.redisstarter.messaging.queue.JobOptions;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.JobWorkers;
import dev.redisstarter.messaging.queue.QueueCounts;

/**
 * The starter's job queue as an application gets it: Spring Boot's Redis auto-configuration and the starter's
 * queue, with the starter's default queue settings (retention of 1,000 completed jobs or 1 hour, 30 s leases renewed
 * every 10 s, a stalled check every 5 s) apart from each handler's concurrency. One application context per role,
 * refreshed once and kept for the whole run, like BullMQ's separate {@code Queue} and {@code Worker} objects: a
 * producer (no handler) for the enqueue runs, and one context per worker ({@code @JobHandler} concurrency 16 and 1
 * for the drains, {@code --latency-concurrency} for the latency runs), whose {@link JobWorkers} are stopped right after
 * the refresh and started only for their runs. Each run warms up first: the enqueue runs on another queue (whose keys
 * are deleted before measuring), the drains on the same queue (the server is flushed before measuring), the latency
 * run with paced adds that are not measured.
 */
final class StarterSide implements Side {

	private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(120);

	private static final int FILL_BATCH = 1000;

	private final QueueProbe probe;

	private final Tally tally = new Tally();

	private final Role producer;

	private final Role drainOf16;

	private final Role drainOf1;

	private final Role latency;

	StarterSide(String host, int port, QueueProbe probe, Settings settings) {
		this.probe = probe;
		this.producer = new Role(host, port, "enqueue", 0, this.tally);
		this.drainOf16 = new Role(host, port, "drain16", 16, this.tally);
		this.drainOf1 = new Role(host, port, "drain1", 1, this.tally);
		this.latency = new Role(host, port, "latency", settings.latencyConcurrency(), this.tally);
	}

	@Override
	public String name() {
		return "starter";
	}

	@Override
	public String description() {
		return "this checkout's starter, in this JVM (Java " + Runtime.version() + "); the starter's default queue "
				+ "settings: completed jobs kept 1,000 or 1 h, dead letters 10,000 or 7 days, lease 30 s renewed every "
				+ "10 s, stalled check every 5 s, prefetch up to 64";
	}

	@Override
	public PhaseResult run(Phase phase, Settings settings, int repetition) throws InterruptedException {
		return switch (phase) {
			case ENQUEUE_SINGLE, ENQUEUE_BULK, ENQUEUE_ASYNC -> enqueue(phase, settings, repetition);
			case DRAIN_16, DRAIN_1 -> drain(phase, settings, repetition);
			case LATENCY -> latency(settings, repetition);
		};
	}

	// ---- enqueue

	private PhaseResult enqueue(Phase phase, Settings settings, int repetition) throws InterruptedException {
		Role producer = this.producer;
		add(phase, settings, producer.jobs, "warmup", settings.warmupJobs());
		this.probe.deleteKeys("*{warmup}*");
		QueueProbe.Counters before = this.probe.counters();
		add(phase, settings, producer.jobs, "enqueue", settings.jobs());
		QueueProbe.Counters after = this.probe.counters();
		QueueCounts counts = producer.jobs.counts("enqueue");
		return result(phase, repetition, settings.jobs(), before, after, 0, 0, 0, null, "waiting=" + counts.waiting());
	}

	private static void add(Phase phase, Settings settings, JobQueue jobs, String queue, int count)
			throws InterruptedException {
		if (phase == Phase.ENQUEUE_BULK) {
			addBulk(jobs, queue, 0, count, settings.batch());
			return;
		}
		if (phase == Phase.ENQUEUE_ASYNC) {
			addAsync(jobs, queue, count);
			return;
		}
		AtomicInteger next = new AtomicInteger();
		List<Thread> producers = new ArrayList<>();
		List<RuntimeException> failures = new ArrayList<>();
		for (int i = 0; i < settings.producers(); i++) {
			Thread producer = new Thread(() -> {
				try {
					for (int seq = next.getAndIncrement(); seq < count; seq = next.getAndIncrement()) {
						jobs.enqueue(queue, Task.of(seq));
					}
				}
				catch (RuntimeException ex) {
					synchronized (failures) {
						failures.add(ex);
					}
				}
			}, "producer-" + i);
			producer.start();
			producers.add(producer);
		}
		for (Thread producer : producers) {
			producer.join();
		}
		if (!failures.isEmpty()) {
			throw failures.get(0);
		}
	}

	/** One producer sending every job without waiting, then waiting for them all. */
	private static void addAsync(JobQueue jobs, String queue, int count) {
		List<java.util.concurrent.CompletableFuture<String>> sent = new ArrayList<>(count);
		for (int seq = 0; seq < count; seq++) {
			sent.add(jobs.enqueueAsync(queue, Task.of(seq)));
		}
		java.util.concurrent.CompletableFuture.allOf(sent.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
	}

	private static void addBulk(JobQueue jobs, String queue, int from, int to, int batch) {
		List<Task> tasks = new ArrayList<>(batch);
		for (int seq = from; seq < to; seq++) {
			tasks.add(Task.of(seq));
			if (tasks.size() == batch || seq == to - 1) {
				jobs.enqueueAll(queue, tasks, JobOptions.defaults());
				tasks = new ArrayList<>(batch);
			}
		}
	}

	// ---- drain

	private PhaseResult drain(Phase phase, Settings settings, int repetition) throws InterruptedException {
		Role worker = (phase == Phase.DRAIN_16) ? this.drainOf16 : this.drainOf1;
		// Warm-up: the same queue and worker, then the server is flushed.
		fill(worker, settings.warmupJobs());
		worker.workers.start();
		awaitDone(worker, settings.warmupJobs(), System.nanoTime());
		worker.workers.stop();
		this.probe.flushAll();
		int jobs = settings.drainJobs();
		fill(worker, jobs);
		System.gc();
		QueueProbe.Counters before = this.probe.counters();
		worker.workers.start();
		boolean complete = awaitDone(worker, jobs, before.nanoTime());
		QueueProbe.Counters after = this.probe.counters();
		worker.workers.stop();
		QueueCounts counts = worker.jobs.counts(worker.queue);
		return result(phase, repetition, jobs, before, after, this.tally.handled(), this.tally.duplicates(),
				this.tally.missing(jobs), null, (complete ? "" : "INCOMPLETE ") + counts);
	}

	private void fill(Role worker, int jobs) {
		this.tally.reset(jobs);
		addBulk(worker.jobs, worker.queue, 0, jobs, FILL_BATCH);
		long waiting = worker.jobs.counts(worker.queue).waiting();
		if (waiting != jobs) {
			throw new IllegalStateException("The backlog holds " + waiting + " jobs, not " + jobs);
		}
	}

	/**
	 * Waits until {@code jobs} handler calls were counted and the queue holds nothing waiting or active: every
	 * completion recorded in Redis (the worker writes them in batches, after the handler returned).
	 */
	private boolean awaitDone(Role worker, int jobs, long start) throws InterruptedException {
		while (this.tally.handled() < jobs) {
			if (System.nanoTime() - start > LIMIT_NANOS) {
				return false;
			}
			Thread.sleep(1);
		}
		while (true) {
			QueueCounts counts = worker.jobs.counts(worker.queue);
			if (counts.waiting() == 0 && counts.active() == 0 && counts.delayed() == 0) {
				return true;
			}
			if (System.nanoTime() - start > LIMIT_NANOS) {
				return false;
			}
			Thread.sleep(1);
		}
	}

	// ---- latency

	private PhaseResult latency(Settings settings, int repetition) throws InterruptedException {
		Role worker = this.latency;
		worker.workers.start();
		Thread.sleep(500);
		paced(worker, settings.latencyWarmupJobs(), settings.rate());
		Thread.sleep(200);
		QueueProbe.Counters before = this.probe.counters();
		boolean complete = paced(worker, settings.latencyJobs(), settings.rate());
		QueueProbe.Counters after = this.probe.counters();
		worker.workers.stop();
		QueueCounts counts = worker.jobs.counts(worker.queue);
		double[] latencies = this.tally.sortedLatenciesMillis();
		return result(Phase.LATENCY, repetition, settings.latencyJobs(), before, after, this.tally.handled(),
				this.tally.duplicates(), this.tally.missing(settings.latencyJobs()), latencies,
				(complete ? "" : "INCOMPLETE ") + counts);
	}

	/** Adds {@code jobs} tasks, one every {@code 1 / rate} seconds, from one thread; waits until all completed. */
	private boolean paced(Role worker, int jobs, int rate) throws InterruptedException {
		this.tally.reset(jobs);
		long interval = TimeUnit.SECONDS.toNanos(1) / rate;
		long start = System.nanoTime();
		for (int seq = 0; seq < jobs; seq++) {
			long due = start + seq * interval;
			for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
				LockSupport.parkNanos(wait);
			}
			this.tally.adding(seq);
			worker.jobs.enqueue(worker.queue, Task.of(seq));
		}
		return awaitDone(worker, jobs, start);
	}

	// ----

	private PhaseResult result(Phase phase, int repetition, int jobs, QueueProbe.Counters before,
			QueueProbe.Counters after, long handled, long duplicates, long missing, double[] latencies, String left) {
		Map<String, Long> byCommand = after.commandsSince(before);
		long commands = byCommand.values().stream().mapToLong(Long::longValue).sum();
		double p50 = Double.NaN;
		double p99 = Double.NaN;
		double max = Double.NaN;
		if (latencies != null) {
			p50 = percentile(latencies, 50);
			p99 = percentile(latencies, 99);
			max = latencies[latencies.length - 1];
		}
		return new PhaseResult(name(), phase, repetition, jobs, after.secondsSince(before), commands, byCommand,
				after.redisCpuSeconds() - before.redisCpuSeconds(), after.redisMemoryBytes() - before.redisMemoryBytes(),
				after.clientCpuSeconds() - before.clientCpuSeconds(),
				after.gcCount() - before.gcCount(), after.gcMillis() - before.gcMillis(), handled, duplicates, missing, p50,
				p99, max, left);
	}

	/** The same rank as the BullMQ side's: the value at ceil(p% of n), counting from 1. */
	private static double percentile(double[] sorted, double p) {
		int index = Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1);
		return sorted[Math.max(0, index)];
	}

	@Override
	public void close() {
		List.of(this.producer, this.drainOf16, this.drainOf1, this.latency).forEach((role) -> role.context.close());
	}

	/**
	 * One application context: a producer (concurrency 0: no handler) or a worker of one queue.
	 */
	private static final class Role {

		final String queue;

		final AnnotationConfigApplicationContext context;

		final JobQueue jobs;

		final JobWorkers workers;

		Role(String host, int port, String queue, int concurrency, Tally tally) {
			this.queue = queue;
			Map<String, Object> properties = new HashMap<>(Map.of("spring.data.redis.host", host,
					"spring.data.redis.port", Integer.toString(port), "redis.starter.key-prefix", "bench",
					"bench.queue", queue));
			if (concurrency > 0) {
				properties.put("redis.starter.queue.named." + queue + ".concurrency", Integer.toString(concurrency));
			}
			this.context = new AnnotationConfigApplicationContext();
			this.context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", properties));
			this.context.registerBean(Tally.class, () -> tally);
			this.context.register(StarterApplication.class);
			if (concurrency > 0) {
				this.context.register(Handler.class);
			}
			this.context.refresh();
			this.jobs = this.context.getBean(JobQueue.class);
			this.workers = this.context.getBean(JobWorkers.class);
			this.workers.stop();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, RedisStarterAutoConfiguration.class,
			RedisStarterQueueAutoConfiguration.class })
	static class StarterApplication {

	}

	/** The application's handler: a no-op apart from the tally; its concurrency is the queue's setting. */
	static class Handler {

		private final Tally tally;

		Handler(Tally tally) {
			this.tally = tally;
		}

		@JobHandler(queue = "${bench.queue}")
		void handle(Task task) {
			this.tally.accept(task);
		}

	}

}
