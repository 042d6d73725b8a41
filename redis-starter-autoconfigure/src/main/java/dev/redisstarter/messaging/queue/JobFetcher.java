package dev.redisstarter.messaging.queue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.redisstarter.core.ReconnectPause;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.ScriptArgs;
import dev.redisstarter.messaging.ConsumerLoop;
import dev.redisstarter.messaging.HandlerCircuit;

/**
 * A {@link JobWorker}'s fetcher: takes jobs ({@code take.lua}) as its handler slots free up, plus some ahead of the
 * handlers sized by their measured handling time, and hands each to {@link JobHandling}. While the queue is empty it
 * waits on the queue's signal list rather than polling; while the queue backs off or the rate limit's window is spent
 * it sleeps. When the handler's {@link HandlerCircuit} is open it takes nothing, then one job as the probe once the
 * worker holds nothing. A take whose reply was lost is cancelled before the next one, so its jobs do not stall.
 */
final class JobFetcher {

	/** The worker's category: the split into parts changed no logger name. */
	private static final Log logger = LogFactory.getLog(JobWorker.class);

	/** The most payload bytes one take returns (at least one job): a large backlog of large jobs still answers in time. */
	private static final long TAKE_BYTES = 1024 * 1024;

	private final String queue;

	private final int concurrency;

	private final QueueSettings settings;

	/** Handler slots plus the jobs taken ahead, and how many to take ahead. */
	private final ReadAhead readAhead;

	private final JobWorkers.Shared shared;

	/** The keys every script of this queue declares. */
	private final byte[][] keys;

	private final Map<String, HeldJob> held;

	private final HandlerCircuit circuit;

	private final SignalWaiter signals;

	private final JobHandling handling;

	private final BooleanSupplier running;

	/** Where the fetcher reports the worker's state: running, paused (the queue backs off) or waiting (for Redis). */
	private final Consumer<WorkerStatus> status;

	/** The fetcher's wait after Redis failed a take. */
	private final ReconnectPause pause;

	/** Handler slots of the current run, plus the most jobs taken ahead (made anew at each start). */
	private volatile Semaphore permits;

	/** The current run's part of every take's lease owner. */
	private volatile String token = "";

	/** Numbers this worker's takes. */
	private final AtomicLong takes = new AtomicLong();

	/** Takes sent without an answer: cancelled (their jobs released) before the next take. */
	private final Set<String> unanswered = ConcurrentHashMap.newKeySet();

	JobFetcher(String queue, int concurrency, QueueSettings settings, JobWorkers.Shared shared, byte[][] keys,
			Map<String, HeldJob> held, HandlerCircuit circuit, SignalWaiter signals, JobHandling handling,
			BooleanSupplier running, Consumer<WorkerStatus> status, ReconnectPause pause) {
		this.queue = queue;
		this.concurrency = concurrency;
		this.settings = settings;
		this.readAhead = new ReadAhead(concurrency, settings.prefetch());
		this.shared = shared;
		this.keys = keys;
		this.held = held;
		this.circuit = circuit;
		this.signals = signals;
		this.handling = handling;
		this.running = running;
		this.status = status;
		this.pause = pause;
		this.permits = new Semaphore(this.readAhead.capacity());
	}

	/**
	 * Prepares a new run: fresh slots (a stopped run may leave some taken) and a new lease owner.
	 * @param token the run's part of every take's lease owner
	 */
	void reset(String token) {
		this.token = token;
		this.permits = new Semaphore(this.readAhead.capacity());
		this.unanswered.clear();
	}

	/** The fetcher thread: takes until the worker stops. */
	void run() {
		Turns turns = new Turns();
		new ConsumerLoop(this.running, turns::takeOnce, turns::failed, this.pause).run();
	}

	/** The fetch loop's state from one take to the next (one per run). */
	private final class Turns {

		/** How long to wait for a signal before the next take, 0 to take at once. */
		private long idleFor;

		/** The queue backs off, or the rate limit's window is spent: sleep rather than wait for a signal. */
		private boolean paused;

		/** Handler slots held for the take under way, given back when it fails. */
		private int asked;

		boolean takeOnce() throws InterruptedException {
			JobFetcher fetcher = JobFetcher.this;
			boolean probe = false;
			if (fetcher.circuit.state() != HandlerCircuit.State.CLOSED) {
				// Open: take nothing until the pause ends, then one job as the probe, once this worker holds
				// nothing (the jobs it took ahead are released as their turn comes).
				if (!fetcher.circuit.allowsFetching() || !fetcher.held.isEmpty()) {
					Thread.sleep(Math.max(10, Math.min(fetcher.circuit.millisUntilProbe(), 200)));
					return false;
				}
				probe = true;
			}
			ReadAhead readAhead = fetcher.readAhead;
			int ahead = readAhead.ahead(fetcher.handling.handlingMillis());
			int reserve = readAhead.reserve(ahead);
			// Take in batches of half the look-ahead; the handlers stay busy meanwhile.
			int needed = readAhead.needed(ahead);
			if (!fetcher.permits.tryAcquire(needed, 200, TimeUnit.MILLISECONDS)) {
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
					fetcher.signals.await(this.idleFor);
				}
				this.idleFor = 0;
			}
			this.asked += fetcher.permits.drainPermits();
			fetcher.permits.release(reserve);
			this.asked -= reserve;
			if (probe && this.asked > 1) {
				fetcher.permits.release(this.asked - 1);
				this.asked = 1;
			}
			// A rate-limited take is counted against the window by take.lua, for the jobs it finds only; one worker
			// asking for a whole window would starve the others: at most a quarter of a window per take.
			int most = (fetcher.settings.rateLimit() > 0)
					? (int) Math.max(1, Math.min(this.asked, fetcher.settings.rateLimit() / 4)) : this.asked;
			if (most < this.asked) {
				fetcher.permits.release(this.asked - most);
				this.asked = most;
			}
			String request = fetcher.token + ":" + fetcher.takes.incrementAndGet();
			TakeReply reply = TakeReply.of(take(this.asked, request));
			// The queue backs off, or the rate limit's window is spent: either way the worker sleeps (the
			// signal would not help).
			this.paused = reply.paused();
			fetcher.permits.release(this.asked - reply.jobs().size());
			this.asked = 0;
			fetcher.status.accept(reply.queueBacksOff() ? WorkerStatus.PAUSED : WorkerStatus.RUNNING);
			for (List<?> job : reply.jobs()) {
				fetcher.handling.dispatch(TakenJob.of(job, request, reply.nowMillis(), fetcher.settings.backoff()), fetcher.permits);
			}
			if (reply.waitMillis() != TakeReply.MORE_WAITING) {
				long idle = fetcher.settings.idleWait().toMillis();
				this.idleFor = (reply.waitMillis() > 0) ? Math.min(reply.waitMillis(), idle) : idle;
			}
			return true;
		}

		void failed(RuntimeException ex, long pauseMillis) {
			JobFetcher fetcher = JobFetcher.this;
			if (this.asked > 0) {
				fetcher.permits.release(this.asked);
				this.asked = 0;
			}
			fetcher.status.accept(WorkerStatus.WAITING);
			// Take at once when Redis is back, rather than first waiting out an idle wait that failed.
			this.idleFor = 0;
			// The pause ends early when Redis answers again, so that the worker (and its health) resumes with the
			// endpoints.
			logger.debug("Taking jobs of queue '" + fetcher.queue + "' failed, retrying in at most " + pauseMillis
					+ " ms: " + ex);
		}

	}

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
	void cancelUnansweredTakes() {
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

}
