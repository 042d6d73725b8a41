package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ScriptOutputType;
import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.ReceiverContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;

import dev.redisstarter.core.LeaseKeeper;
import dev.redisstarter.core.ReconnectPause;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.StarterThreads;
import dev.redisstarter.messaging.ConsumerLoop;
import dev.redisstarter.messaging.HandlerCircuit;
import dev.redisstarter.messaging.HandlerPool;
import dev.redisstarter.core.ScriptArgs;

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
 */
final class JobWorker {

	private static final Log logger = LogFactory.getLog(JobWorker.class);

	private final String queue;

	private final JobHandlerMethod method;

	private final int concurrency;

	private final QueueSettings settings;

	private final JobWorkers.Shared shared;

	private final QueueMetrics.Meters meters;

	private final JavaType payloadType;

	/** The keys every script of this queue declares. */
	private final byte[][] keys;

	private final Map<String, HeldJob> held = new ConcurrentHashMap<>();

	private final JobOutcomes outcomes;

	private final DeadLetterTrims trims;

	private final SignalWaiter signals;

	/** The fetcher's and the outcome writer's waits after Redis failed them. */
	private final ReconnectPause fetchPause;

	private final ReconnectPause writePause;

	/** Opens when the handler fails on job after job: the worker then pauses instead of spending their attempts. */
	private final HandlerCircuit circuit;

	private volatile Semaphore permits;

	private volatile String token = "";

	/** Numbers this worker's takes. */
	private final java.util.concurrent.atomic.AtomicLong takes = new java.util.concurrent.atomic.AtomicLong();

	/** Takes sent without an answer: cancelled (their jobs released) before the next take. */
	private final java.util.Set<String> unanswered = ConcurrentHashMap.newKeySet();

	/** A moving average of how long handlers take, in ms; -1 until the first job. */
	private volatile double handlingMillis = -1;

	private volatile boolean running;

	/** Set before a stop interrupts the handlers still running: whatever they then throw says nothing about the job. */
	private volatile boolean interruptedByStop;

	private volatile WorkerStatus state = WorkerStatus.STOPPED;

	private @Nullable ExecutorService handlers;

	private @Nullable ScheduledExecutorService maintenance;

	private @Nullable Thread fetcher;

	private @Nullable Thread writer;

	JobWorker(String queue, JobHandlerMethod method, int concurrency, QueueSettings settings, JobWorkers.Shared shared) {
		this.queue = queue;
		this.method = method;
		this.concurrency = concurrency;
		this.settings = settings;
		this.shared = shared;
		this.meters = shared.metrics().of(queue);
		this.payloadType = shared.mapper().getTypeFactory().constructType(method.payloadType());
		this.keys = shared.queueKeys().scriptKeys(queue);
		this.trims = new DeadLetterTrims(queue, settings, this.meters, System::nanoTime);
		this.outcomes = new JobOutcomes(queue, shared.calls(), shared.scripts(), this.keys, settings, this.meters,
				this.held, this.trims);
		this.signals = new SignalWaiter(shared.access(), shared.queueKeys().signal(queue));
		this.fetchPause = new ReconnectPause(shared.access().circuit(), Duration.ofMillis(100), Duration.ofSeconds(5));
		this.writePause = new ReconnectPause(shared.access().circuit(), Duration.ofMillis(100), Duration.ofSeconds(2));
		this.circuit = new HandlerCircuit("Job handler of queue '" + queue + "'", settings.circuit());
		this.meters.circuit(this.circuit);
		this.permits = new Semaphore(capacity());
	}

	/** Handler slots plus the most jobs taken ahead. */
	private int capacity() {
		return this.concurrency + this.settings.prefetch();
	}

	/**
	 * How many jobs to take ahead of the handlers now: about 20 ms of work by the measured handling time, at most
	 * {@code prefetch}. Short jobs then run from a local buffer, one take per many jobs; long jobs stay in Redis,
	 * where a free worker of any instance takes them.
	 */
	private int ahead() {
		int prefetch = this.settings.prefetch();
		double handling = this.handlingMillis;
		if (prefetch == 0) {
			return 0;
		}
		if (handling < 0) {
			return Math.min(prefetch, this.concurrency);
		}
		return (int) Math.min(prefetch, Math.floor(this.concurrency * 20.0 / Math.max(handling, 0.001)));
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

	synchronized void start() {
		if (this.running) {
			return;
		}
		this.token = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		this.permits = new Semaphore(capacity());
		this.held.clear();
		this.unanswered.clear();
		this.interruptedByStop = false;
		this.running = true;
		this.state = WorkerStatus.WAITING;
		this.handlers = this.shared.threads().handlerPool("queue", this.queue, this.concurrency);
		this.maintenance = StarterThreads.backgroundScheduler("queue-" + this.queue + "-leases");
		Duration renewEvery = Duration.ofMillis(Math.max(100, LeaseKeeper.periodFor(this.settings.lease()).toMillis()));
		LeaseKeeper.on(this.maintenance).keep("held jobs of queue '" + this.queue + "'", renewEvery, () -> {
			renewLeases();
			return true;
		});
		long stalledEvery = this.settings.stalledInterval().toMillis();
		this.maintenance.scheduleWithFixedDelay(this::checkStalled,
				ThreadLocalRandom.current().nextLong(Math.max(1, stalledEvery)), stalledEvery, TimeUnit.MILLISECONDS);
		this.writer = StarterThreads.background("queue-" + this.queue + "-outcomes", this::writeLoop);
		this.writer.start();
		this.fetcher = StarterThreads.background("queue-" + this.queue + "-fetcher", this::fetchLoop);
		this.fetcher.start();
	}

	// ---- taking jobs

	private void fetchLoop() {
		Fetcher fetcher = new Fetcher();
		new ConsumerLoop(() -> this.running, fetcher::takeOnce, fetcher::failed, this.fetchPause).run();
	}

	/** The fetch loop's state from one take to the next. */
	private final class Fetcher {

		/** How long to wait for a signal before the next take, 0 to take at once. */
		private long idleFor;

		/** The queue backs off, or the rate limit's window is spent: sleep rather than wait for a signal. */
		private boolean paused;

		/** Handler slots held for the take under way, given back when it fails. */
		private int asked;

		boolean takeOnce() throws InterruptedException {
			JobWorker worker = JobWorker.this;
			boolean probe = false;
			if (worker.circuit.state() != HandlerCircuit.State.CLOSED) {
				// Open: take nothing until the pause ends, then one job as the probe, once this worker holds
				// nothing (the jobs it took ahead are released as their turn comes).
				if (!worker.circuit.allowsFetching() || !worker.held.isEmpty()) {
					Thread.sleep(Math.max(10, Math.min(worker.circuit.millisUntilProbe(), 200)));
					return false;
				}
				probe = true;
			}
			int ahead = ahead();
			int reserve = worker.settings.prefetch() - ahead;
			// Take in batches of half the look-ahead; the handlers stay busy meanwhile.
			int needed = reserve + Math.max(1, ahead / 2);
			if (!worker.permits.tryAcquire(needed, 200, TimeUnit.MILLISECONDS)) {
				return false;
			}
			this.asked = needed;
			if (this.idleFor > 0) {
				// Nothing was waiting: sleep, holding a free slot, until a job is added, the next delayed one
				// is due, or the pause ends (a paused worker does not take the signal: others may use it).
				if (this.paused) {
					Thread.sleep(Math.min(this.idleFor, 1000));
				}
				else {
					worker.signals.await(this.idleFor);
				}
				this.idleFor = 0;
			}
			this.asked += worker.permits.drainPermits();
			worker.permits.release(reserve);
			this.asked -= reserve;
			if (probe && this.asked > 1) {
				worker.permits.release(this.asked - 1);
				this.asked = 1;
			}
			// A rate-limited take is counted against the window by take.lua, for the jobs it finds only; one worker
			// asking for a whole window would starve the others: at most a quarter of a window per take.
			int most = (worker.settings.rateLimit() > 0)
					? (int) Math.max(1, Math.min(this.asked, worker.settings.rateLimit() / 4)) : this.asked;
			if (most < this.asked) {
				worker.permits.release(this.asked - most);
				this.asked = most;
			}
			String request = worker.token + ":" + worker.takes.incrementAndGet();
			TakeReply reply = TakeReply.of(take(this.asked, request));
			// The queue backs off, or the rate limit's window is spent: either way the worker sleeps (the
			// signal would not help).
			this.paused = reply.paused();
			worker.permits.release(this.asked - reply.jobs().size());
			this.asked = 0;
			worker.state = reply.queueBacksOff() ? WorkerStatus.PAUSED : WorkerStatus.RUNNING;
			for (List<?> job : reply.jobs()) {
				dispatch(TakenJob.of(job, request, reply.nowMillis(), worker.settings.backoff()));
			}
			if (reply.waitMillis() != TakeReply.MORE_WAITING) {
				long idle = worker.settings.idleWait().toMillis();
				this.idleFor = (reply.waitMillis() > 0) ? Math.min(reply.waitMillis(), idle) : idle;
			}
			return true;
		}

		void failed(RuntimeException ex, long pauseMillis) {
			JobWorker worker = JobWorker.this;
			if (this.asked > 0) {
				worker.permits.release(this.asked);
				this.asked = 0;
			}
			worker.state = WorkerStatus.WAITING;
			// Take at once when Redis is back, rather than first waiting out an idle wait that failed.
			this.idleFor = 0;
			// The pause ends early when Redis answers again, so that the worker (and its health) resumes with the
			// endpoints.
			logger.debug("Taking jobs of queue '" + worker.queue + "' failed, retrying in at most " + pauseMillis
					+ " ms: " + ex);
		}

	}

	/** The most payload bytes one take returns (at least one job): a large backlog of large jobs still answers in time. */
	private static final long TAKE_BYTES = 1024 * 1024;

	/**
	 * Runs {@code take.lua}; each take is its own lease owner ({@code <token>:<take number>}), so that a stale
	 * outcome of an earlier take of the same job can never match a later one. A take without an answer (Redis froze
	 * and may run it later, or the connection dropped) is cancelled before the next take, so the jobs it took are
	 * released at once rather than left to stall.
	 */
	private List<?> take(int count, String request) {
		RedisCalls calls = this.shared.calls();
		cancelUnansweredTakes();
		try {
			return calls.script(this.shared.scripts().take(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys, ScriptArgs.utf8(Integer.toString(count)),
							ScriptArgs.utf8(Long.toString(this.settings.lease().toMillis())), ScriptArgs.utf8(request),
							ScriptArgs.utf8(Long.toString(TAKE_BYTES)),
							ScriptArgs.utf8(Long.toString(this.settings.rateLimit())),
							ScriptArgs.utf8(Long.toString(this.settings.rateLimitWindow().toMillis()))));
		}
		catch (RuntimeException ex) {
			// Whether it ran is unknown (it may still run when Redis thaws): cancel it before the next take.
			this.unanswered.add(request);
			throw ex;
		}
	}

	/** Releases what takes without an answer took, so that those jobs are not left to stall. */
	private void cancelUnansweredTakes() {
		if (this.unanswered.isEmpty()) {
			return;
		}
		List<String> requests = List.copyOf(this.unanswered);
		byte[][] args = new byte[1 + requests.size()][];
		args[0] = ScriptArgs.utf8(Long.toString(this.settings.lease().toMillis()));
		for (int i = 0; i < requests.size(); i++) {
			args[1 + i] = ScriptArgs.utf8(requests.get(i));
		}
		Long released = this.shared.calls()
			.script(this.shared.scripts().cancelTake(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys, args));
		this.unanswered.removeAll(requests);
		if (released != null && released > 0) {
			logger.info("Queue '" + this.queue + "': " + released + " jobs taken by a take whose reply was lost are"
					+ " released for the next worker");
		}
	}

	private void dispatch(TakenJob job) {
		this.held.put(job.id(), new HeldJob(job.owner(), this.settings.lease().toMillis(), false));
		ExecutorService pool = this.handlers;
		// The slot goes back to this run's permits, even when the handler outlives a stop and a new start.
		Semaphore slots = this.permits;
		try {
			Objects.requireNonNull(pool).execute(this.shared.threads().decorate(() -> handle(job, slots)));
		}
		catch (RejectedExecutionException | NullPointerException ex) {
			// Stopping: give it back for another worker.
			this.outcomes.add(new JobOutcomes.Released(job.id(), job.owner()));
			slots.release();
		}
	}

	// ---- running jobs

	private void handle(TakenJob job, Semaphore slots) {
		long start = System.nanoTime();
		try {
			if (!this.running) {
				// Taken ahead and not started before the shutdown: another worker takes it at once.
				this.outcomes.add(new JobOutcomes.Released(job.id(), job.owner()));
				return;
			}
			if (!this.circuit.tryStart()) {
				// The circuit opened after this job was taken: back to waiting, its attempt not counted.
				this.outcomes.add(new JobOutcomes.Released(job.id(), job.owner()));
				return;
			}
			this.meters.started(job.waitedMillis());
			if (job.reclaimed() > 0) {
				markStartedNow(job);
			}
			markStarted(job);
			Object payload;
			try {
				payload = decode(job);
			}
			catch (RuntimeException ex) {
				failed(job, new NonRetryableJobException("the payload could not be read as " + this.payloadType, ex));
				return;
			}
			Observation observation = observe(job);
			AttemptTimer timer = AttemptTimer.start(job.attemptTimeout(), this.maintenance);
			Throwable error = null;
			try {
				if (observation != null) {
					observation.scoped(() -> invoke(job, payload));
				}
				else {
					invoke(job, payload);
				}
			}
			catch (HandlerFailure failure) {
				error = failure.getCause();
			}
			boolean timedOut = timer.end();
			if (timedOut && error == null) {
				// Past its timeout the attempt has failed, even when the handler swallowed the interrupt and returned.
				error = new JobTimeoutException(job.id(), Objects.requireNonNull(job.attemptTimeout()));
			}
			if (error == null) {
				this.circuit.succeeded();
				this.outcomes.add(new JobOutcomes.Completed(job.id(), job.owner()));
			}
			else {
				if (timedOut) {
					error = new JobTimeoutException(job.id(), Objects.requireNonNull(job.attemptTimeout()));
				}
				if (observation != null) {
					observation.error(error);
				}
				outcome(job, error);
			}
			if (observation != null) {
				observation.stop();
			}
		}
		catch (RuntimeException | Error ex) {
			logger.error("Job " + job.id() + " of queue '" + this.queue + "' could not be handled", ex);
			failed(job, ex);
		}
		finally {
			long took = System.nanoTime() - start;
			this.meters.handled(took);
			double previous = this.handlingMillis;
			this.handlingMillis = (previous < 0) ? took / 1e6 : previous * 0.9 + (took / 1e6) * 0.1;
			slots.release();
		}
	}

	/**
	 * Records that the job's handler starts, so that a stall of this attempt counts (a job only taken ahead never
	 * does): renewals carry the mark from now on, and the outcome thread sends it at once with every other start
	 * since its last write.
	 */
	private void markStarted(TakenJob job) {
		this.held.computeIfPresent(job.id(), (id, held) -> held.owner().equals(job.owner()) ? held.asStarted() : held);
		this.outcomes.add(new JobOutcomes.Started(job.id(), job.owner()));
	}

	/**
	 * Writes the start mark before the handler runs, for a job whose lease already expired unmarked: its handler may
	 * kill the worker before the outcome thread sends the mark (within about a millisecond), and would then never
	 * count a stall nor reach the dead letters, taken again and again. One round trip, for such jobs only; when it
	 * fails the handler runs anyway (the renewals and the outcome thread still carry the mark).
	 */
	private void markStartedNow(TakenJob job) {
		try {
			this.shared.calls()
				.script(this.shared.scripts().start(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
						QueueKeys.keysAndArgs(this.keys, ScriptArgs.utf8(job.id()), ScriptArgs.utf8(job.owner())));
		}
		catch (RuntimeException ex) {
			logger.debug("Marking job " + job.id() + " of queue '" + this.queue + "' started failed; its handler runs"
					+ " anyway: " + ex);
		}
	}

	/** Wraps whatever the handler threw, so that the worker's own failures stay apart. */
	private static final class HandlerFailure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		HandlerFailure(Throwable cause) {
			super(cause);
		}

	}

	private void invoke(TakenJob job, @Nullable Object payload) {
		try {
			this.method.invoke(payload, new WorkerJobContext(this.queue, job, this));
		}
		catch (Exception | Error ex) {
			throw new HandlerFailure(ex);
		}
	}

	private void outcome(TakenJob job, Throwable error) {
		if (error instanceof JobBackOffException backOff) {
			// The downstream answered (asking for a pause): not a failure of the handler.
			this.circuit.succeeded();
			logger.info("Queue '" + this.queue + "' backs off for " + backOff.pause().toMillis() + " ms, as job "
					+ job.id() + " asked");
			this.outcomes.add(new JobOutcomes.BackedOff(job.id(), job.owner(), backOff.pause().toMillis()));
			return;
		}
		if (!this.running && (this.interruptedByStop || error instanceof InterruptedException
				|| Thread.currentThread().isInterrupted())) {
			// Interrupted by the shutdown (whatever the handler made of the interrupt, such as another exception
			// wrapping it): says nothing about the job, which goes back to waiting.
			if (this.circuit.state() == HandlerCircuit.State.PROBING) {
				// It was the probe: the circuit must not wait for its outcome forever (a restart of this worker would
				// take nothing); it opens again and probes after its pause.
				this.circuit.failed(job.id(), error);
			}
			this.outcomes.add(new JobOutcomes.Released(job.id(), job.owner()));
			return;
		}
		failed(job, error);
	}

	private void failed(TakenJob job, Throwable error) {
		this.meters.failed();
		this.circuit.failed(job.id(), error);
		boolean retry = this.method.retries(error) && job.attempt() < job.maxAttempts();
		long delay = retry ? job.backoff().delayAfter(job.attempt()).toMillis() : -1;
		boolean held = false;
		if (!this.circuit.allowsGivingUp()) {
			// The handler fails on every job (a downstream is down): the failure may be the outage's, not the job's.
			// The attempt is not counted (a long outage must not spend the jobs' attempts one probe at a time), and
			// the job waits behind every other job, so that the next probe is another job: a poison job (failing on
			// its own while the downstream works) would otherwise be the oldest job again at every probe and keep the
			// circuit open for good.
			delay = Math.max(this.circuit.millisUntilProbe(), this.settings.circuit().pause().toMillis());
			held = true;
			logger.warn("Job " + job.id() + " of queue '" + this.queue + "' failed (attempt " + job.attempt() + " of "
					+ job.maxAttempts() + ") while the handler's circuit is open: not counted, not dead-lettered,"
					+ " retrying in " + delay + " ms: " + error);
		}
		else if (retry) {
			logger.warn("Job " + job.id() + " of queue '" + this.queue + "' failed (attempt " + job.attempt() + " of "
					+ job.maxAttempts() + "), retrying in " + delay + " ms: " + error);
		}
		else {
			logger.warn("Job " + job.id() + " of queue '" + this.queue + "' failed (attempt " + job.attempt() + " of "
					+ job.maxAttempts() + ") and goes to the dead letters", error);
		}
		this.outcomes.add(new JobOutcomes.Failed(job.id(), job.owner(), delay, error.getClass().getName(),
				JobOutcomes.message(error), JobOutcomes.trimmedStack(error), held));
	}

	private @Nullable Object decode(TakenJob job) {
		return this.shared.mapper().readValue(job.payload(), this.payloadType);
	}

	private @Nullable Observation observe(TakenJob job) {
		if (this.shared.observations().isNoop()) {
			return null;
		}
		Map<String, String> trace = new HashMap<>();
		if (!job.trace().isEmpty()) {
			try {
				trace.putAll(this.shared.mapper().readValue(job.trace(), new TypeReference<Map<String, String>>() {
				}));
			}
			catch (RuntimeException ex) {
				// An unreadable trace context: the handling starts a trace of its own.
			}
		}
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>((carrier, key) -> carrier.get(key));
		context.setCarrier(trace);
		context.setRemoteServiceName("redis");
		return Observation.createNotStarted("redis.starter.queue.handle", () -> context, this.shared.observations())
			.contextualName(this.queue + " process")
			.lowCardinalityKeyValue("messaging.system", "redis")
			.lowCardinalityKeyValue("messaging.destination.name", this.queue)
			.highCardinalityKeyValue("messaging.message.id", job.id())
			.start();
	}

	boolean progress(TakenJob job, @Nullable Object progress, @Nullable Duration lease) {
		long leaseMillis = this.settings.lease().toMillis();
		if (lease != null) {
			leaseMillis = Math.max(leaseMillis, lease.toMillis());
			HeldJob current = this.held.get(job.id());
			if (current != null && current.owner().equals(job.owner())) {
				this.held.put(job.id(), current.withLease(leaseMillis));
			}
		}
		Long recorded = this.shared.calls()
			.script(this.shared.scripts().progress(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys, ScriptArgs.utf8(job.id()), ScriptArgs.utf8(job.owner()),
							(progress != null) ? this.shared.codec().encode(progress) : ScriptArgs.utf8(""),
							ScriptArgs.utf8(Long.toString(leaseMillis))));
		return recorded != null && recorded == 1;
	}

	// ---- outcomes, leases, stalled jobs

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

	private void renewLeases() {
		if (this.held.isEmpty()) {
			return;
		}
		Map<Long, List<Map.Entry<String, HeldJob>>> byLease = new HashMap<>();
		this.held.entrySet().forEach((entry) -> byLease.computeIfAbsent(entry.getValue().leaseMillis(), (k) -> new ArrayList<>())
			.add(Map.entry(entry.getKey(), entry.getValue())));
		byLease.forEach((lease, entries) -> {
			for (int from = 0; from < entries.size(); from += 500) {
				List<Map.Entry<String, HeldJob>> chunk = entries.subList(from, Math.min(entries.size(), from + 500));
				byte[][] args = new byte[1 + chunk.size() * 3][];
				args[0] = ScriptArgs.utf8(Long.toString(lease));
				int i = 1;
				for (Map.Entry<String, HeldJob> entry : chunk) {
					args[i++] = ScriptArgs.utf8(entry.getKey());
					args[i++] = ScriptArgs.utf8(entry.getValue().owner());
					args[i++] = entry.getValue().started() ? ONE : ZERO;
				}
				try {
					List<?> lost = this.shared.calls()
						.script(this.shared.scripts().renew(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
								QueueKeys.keysAndArgs(this.keys, args));
					for (Object id : lost) {
						String lostId = JobRecords.text(id);
						HeldJob gone = this.held.get(lostId);
						if (gone != null && !this.outcomes.isFinishing(lostId, gone.owner())
								&& chunk.stream().anyMatch((e) -> e.getKey().equals(lostId) && e.getValue() == gone)) {
							this.held.remove(lostId, gone);
							logger.warn("Job " + lostId + " of queue '" + this.queue + "' lost its lease (it expired"
									+ " while Redis or this worker was stalled); another worker may run it again");
						}
					}
				}
				catch (RuntimeException ex) {
					logger.debug("Renewing leases of queue '" + this.queue + "' failed; trying again: " + ex);
				}
			}
		});
	}

	private static final byte[] ONE = ScriptArgs.utf8("1");

	private static final byte[] ZERO = ScriptArgs.utf8("0");

	private void checkStalled() {
		try {
			List<?> moved = this.shared.calls()
				.script(this.shared.scripts().stalled(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
						QueueKeys.keysAndArgs(this.keys, ScriptArgs.utf8(Integer.toString(this.settings.maxStalled())),
								ScriptArgs.utf8(Long.toString(this.settings.deadMaxCount())),
								ScriptArgs.utf8(Long.toString(this.settings.deadMaxAge().toMillis())),
								ScriptArgs.utf8("1000")));
			StalledReply stalled = StalledReply.of(moved);
			long back = stalled.back();
			long dead = stalled.dead();
			long unstarted = stalled.unstarted();
			this.trims.trimmed(stalled.trimmed());
			this.trims.logIfDue();
			if (back + dead > 0) {
				this.meters.stalled(back + dead);
				this.meters.deadLettered(dead);
				logger.warn("Queue '" + this.queue + "': " + (back + dead) + " running jobs stalled (their lease expired); "
						+ back + " went back to waiting, " + dead + " to the dead letters");
			}
			if (unstarted > 0) {
				this.meters.reclaimed(unstarted);
				logger.info("Queue '" + this.queue + "': " + unstarted + " jobs whose lease expired before their start was"
						+ " recorded (taken ahead, or finished with the outcome lost) went back to waiting (no stall counted)");
			}
			List<?> counts = this.shared.calls()
				.script(this.shared.scripts().counts(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS, this.keys);
			QueueCounts queueCounts = QueueCounts.of(this.queue, counts);
			this.meters.counts(queueCounts);
			if (queueCounts.pausedForMillis() > 0 && this.running) {
				this.state = WorkerStatus.PAUSED;
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Checking stalled jobs of queue '" + this.queue + "' failed: " + ex);
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
			stoppedFetcher = this.fetcher;
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
			cancelUnansweredTakes();
		}
		catch (RuntimeException ex) {
			// Redis away: those jobs go back to waiting when their lease expires.
		}
		this.held.forEach((id, lease) -> this.outcomes.add(new JobOutcomes.Released(id, lease.owner())));
		flush(System.nanoTime() + Duration.ofSeconds(2).toNanos());
		if (stoppedMaintenance != null) {
			stoppedMaintenance.shutdownNow();
		}
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
