package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.LeaseKeeper;
import dev.redisstarter.core.ReconnectPause;
import dev.redisstarter.core.StarterThreads;
import dev.redisstarter.messaging.HandlerCircuit;
import dev.redisstarter.messaging.HandlerPool;

/**
 * Runs one {@link JobHandler} method in this instance:
 * <ul>
 * <li>a fetcher thread takes jobs ({@code take.lua}) as handler slots free up, and while the queue is empty
 * waits on the queue's signal list ({@code BLPOP}, on a connection of its own) until a job is added, a delayed
 * job is due, or {@code idle-wait} passes: no polling;</li>
 * <li>{@code concurrency} handler threads, and up to {@code prefetch} jobs taken ahead of them (about 20 ms of
 * work by the measured handling time: none for long jobs, which stay in Redis for any free worker);</li>
 * <li>an outcome thread ({@link JobOutcomes}) that records completions in batches and failures;</li>
 * <li>a maintenance thread that renews the leases of held jobs every third of the lease, returns stalled jobs,
 * refreshes the gauges, and enforces attempt timeouts.</li>
 * </ul>
 * When Redis is away the worker waits and resumes by itself; nothing held is given up until its outcome is
 * recorded or its lease is released. When the handler fails job after job (its {@link HandlerCircuit} opens: a
 * downstream is down), the worker takes nothing, releases the jobs it took ahead as their turn comes, and takes one
 * job as a probe after each pause; a job failing while the circuit is open is retried after the pause, never
 * dead-lettered, whatever its attempts.
 *
 * <p>This class starts and stops the run and writes the outcomes; the other parts each do one thing:
 * {@link JobFetcher} (taking jobs), {@link JobHandling} (running the handler on them and settling each outcome) and
 * {@link JobLeases} (the held jobs' leases, and the queue's stalled jobs).
 */
final class JobWorker {

	private static final Log logger = LogFactory.getLog(JobWorker.class);

	private final String queue;

	private final int concurrency;

	private final QueueSettings settings;

	private final JobWorkers.Shared shared;

	private final Map<String, HeldJob> held = new ConcurrentHashMap<>();

	private final JobOutcomes outcomes;

	private final SignalWaiter signals;

	/** The outcome writer's wait after Redis failed it. */
	private final ReconnectPause writePause;

	/** Opens when the handler fails on job after job: the worker then pauses instead of spending their attempts. */
	private final HandlerCircuit circuit;

	private final JobLeases leases;

	private final JobHandling handling;

	private final JobFetcher fetcher;

	private volatile boolean running;

	/** Set before a stop interrupts the handlers still running: whatever they then throw says nothing about the job. */
	private volatile boolean interruptedByStop;

	private volatile WorkerStatus state = WorkerStatus.STOPPED;

	private @Nullable ExecutorService handlers;

	private @Nullable ScheduledExecutorService maintenance;

	private @Nullable Thread fetcherThread;

	private @Nullable Thread writer;

	JobWorker(String queue, String handler, JobHandlerMethod method, int concurrency, QueueSettings settings,
			JobWorkers.Shared shared) {
		this.queue = queue;
		this.concurrency = concurrency;
		this.settings = settings;
		this.shared = shared;
		QueueMetrics.Meters meters = shared.metrics().of(queue);
		// The keys every script of this queue declares.
		byte[][] keys = shared.queueKeys().scriptKeys(queue);
		DeadLetterTrims trims = new DeadLetterTrims(queue, settings, meters, System::nanoTime);
		this.outcomes = new JobOutcomes(queue, shared.calls(), shared.scripts(), keys, settings, meters, this.held, trims);
		this.signals = new SignalWaiter(shared.access(), shared.queueKeys().signal(queue));
		ReconnectPause fetchPause = new ReconnectPause(shared.access().circuit(), Duration.ofMillis(100), Duration.ofSeconds(5));
		this.writePause = new ReconnectPause(shared.access().circuit(), Duration.ofMillis(100), Duration.ofSeconds(2));
		this.circuit = new HandlerCircuit("Job handler of queue '" + queue + "'", settings.circuit());
		meters.circuit(this.circuit);
		String workerId = shared.instance() + "/" + handler;
		long keepCheckIn = settings.stalledInterval().toMillis() * WorkerCheckIns.KEPT_INTERVALS;
		this.leases = new JobLeases(queue, settings, shared, keys, this.held, this.outcomes, trims, meters,
				this::isRunning, this::setState, workerId,
				() -> WorkerCheckIns.encode(shared.mapper(), new WorkerCheckIns.Stored(shared.instance(), handler,
						concurrency, this.state.wireName(), this.held.size(),
						this.circuit.state().name().toLowerCase(Locale.ROOT), keepCheckIn)),
				keepCheckIn);
		this.handling = new JobHandling(queue, method, settings, shared, meters, keys, this.held, this.outcomes,
				this.circuit, this.leases, this::isRunning, () -> this.interruptedByStop);
		this.fetcher = new JobFetcher(queue, concurrency, settings, shared, keys, this.held, this.circuit, this.signals,
				this.handling, this::isRunning, this::setState, fetchPause);
	}

	String queue() {
		return this.queue;
	}

	int concurrency() {
		return this.concurrency;
	}

	/** Running, waiting (for Redis), paused (backing off), or stopped. */
	WorkerStatus state() {
		return this.state;
	}

	int heldCount() {
		return this.held.size();
	}

	HandlerCircuit circuit() {
		return this.circuit;
	}

	private boolean isRunning() {
		return this.running;
	}

	private void setState(WorkerStatus state) {
		this.state = state;
	}

	synchronized void start() {
		if (this.running) {
			return;
		}
		this.fetcher.reset(UUID.randomUUID().toString().replace("-", "").substring(0, 16));
		this.held.clear();
		this.interruptedByStop = false;
		this.running = true;
		this.state = WorkerStatus.WAITING;
		this.handlers = this.shared.threads().handlerPool("queue", this.queue, this.concurrency);
		this.maintenance = StarterThreads.backgroundScheduler("queue-" + this.queue + "-leases");
		this.handling.runOn(this.handlers, this.maintenance);
		Duration renewEvery = Duration.ofMillis(Math.max(100, LeaseKeeper.periodFor(this.settings.lease()).toMillis()));
		LeaseKeeper.on(this.maintenance).keep("held jobs of queue '" + this.queue + "'", renewEvery, () -> {
			this.leases.renew();
			return true;
		});
		long stalledEvery = this.settings.stalledInterval().toMillis();
		this.maintenance.scheduleWithFixedDelay(this.leases::checkStalled,
				ThreadLocalRandom.current().nextLong(Math.max(1, stalledEvery)), stalledEvery, TimeUnit.MILLISECONDS);
		this.writer = StarterThreads.background("queue-" + this.queue + "-outcomes", this::writeLoop);
		this.writer.start();
		this.fetcherThread = StarterThreads.background("queue-" + this.queue + "-fetcher", this.fetcher::run);
		this.fetcherThread.start();
	}

	// ---- outcomes

	private void writeLoop() {
		while (this.running) {
			try {
				if (this.outcomes.writeQueued(Duration.ofMillis(100))) {
					this.writePause.reset();
				}
				else {
					this.writePause.await();
				}
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	// ---- stopping

	/**
	 * Stops taking jobs, lets running handlers finish within the shutdown wait, records their outcomes, and
	 * releases every job still held (taken ahead, or still running at the end) so that another worker takes it
	 * at once.
	 */
	void stop() {
		ExecutorService stoppedHandlers;
		ScheduledExecutorService stoppedMaintenance;
		Thread stoppedFetcher;
		Thread stoppedWriter;
		synchronized (this) {
			if (!this.running) {
				return;
			}
			this.running = false;
			this.state = WorkerStatus.STOPPED;
			stoppedHandlers = this.handlers;
			stoppedMaintenance = this.maintenance;
			stoppedFetcher = this.fetcherThread;
			stoppedWriter = this.writer;
		}
		this.signals.close();
		if (stoppedFetcher != null) {
			stoppedFetcher.interrupt();
			join(stoppedFetcher, 2000);
		}
		long deadline = System.nanoTime() + this.shared.shutdownWait().toNanos();
		if (stoppedHandlers != null) {
			// Marked before the pool interrupts them, so that their outcome is a release, not a failure.
			boolean finished = HandlerPool.finish(stoppedHandlers, this.shared.shutdownWait(),
					() -> this.interruptedByStop = true);
			if (!finished) {
				logger.warn("Queue '" + this.queue + "' stopped with jobs still running; they are released for"
						+ " another worker (interrupting their handlers)");
			}
		}
		if (stoppedWriter != null) {
			stoppedWriter.interrupt();
			join(stoppedWriter, 2000);
		}
		// Record what finished, then give back everything still held (a handler still running loses its job).
		flush(deadline);
		try {
			this.fetcher.cancelUnansweredTakes();
		}
		catch (RuntimeException ex) {
			// Redis away: those jobs go back to waiting when their lease expires.
		}
		this.held.forEach((id, lease) -> this.outcomes.add(new JobOutcomes.Released(id, lease.owner())));
		flush(System.nanoTime() + Duration.ofSeconds(2).toNanos());
		if (stoppedMaintenance != null) {
			stoppedMaintenance.shutdownNow();
			// A stalled check still running would check in again after the worker left.
			awaitTermination(stoppedMaintenance);
		}
		this.leases.leave();
		if (!this.held.isEmpty()) {
			logger.warn("Queue '" + this.queue + "': " + this.held.size() + " jobs could not be released (Redis did not"
					+ " answer); they go back to waiting when their lease expires");
		}
		this.held.clear();
	}

	private void flush(long deadlineNanos) {
		do {
			try {
				if (this.outcomes.writeQueued(Duration.ZERO) && this.outcomes.isEmpty()) {
					return;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			sleep(50);
		}
		while (System.nanoTime() < deadlineNanos);
	}

	private static void awaitTermination(ScheduledExecutorService executor) {
		try {
			executor.awaitTermination(2000, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void join(Thread thread, long millis) {
		try {
			thread.join(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
