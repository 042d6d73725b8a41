package dev.redisstarter.messaging.queue;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

import io.lettuce.core.ScriptOutputType;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;

import dev.redisstarter.core.ScriptArgs;
import dev.redisstarter.messaging.HandlerCircuit;

/**
 * Runs a {@link JobWorker}'s handler method on the jobs it took, one handler thread each: marks the start (so that a
 * stall of this attempt counts), decodes the payload, calls the method within an observation, the attempt timeout and
 * the handler's {@link HandlerCircuit}, and queues the outcome for the worker's outcome thread: completed, backed off,
 * failed (retried or dead-lettered), or released when the circuit is open or a stop interrupted it. Keeps the moving
 * average of handling times from which the fetcher sizes its look-ahead.
 */
final class JobHandling {

	/** The worker's category: the split into parts changed no logger name. */
	private static final Log logger = LogFactory.getLog(JobWorker.class);

	private final String queue;

	private final JobHandlerMethod method;

	private final QueueSettings settings;

	private final JobWorkers.Shared shared;

	private final QueueMetrics.Meters meters;

	private final JavaType payloadType;

	/** The keys every script of this queue declares. */
	private final byte[][] keys;

	private final Map<String, HeldJob> held;

	private final JobOutcomes outcomes;

	private final HandlerCircuit circuit;

	/** Progress and lease extensions of a running job go through them. */
	private final JobLeases leases;

	private final BooleanSupplier running;

	/** Whether a stop is interrupting the handlers still running: whatever they then throw says nothing about the job. */
	private final BooleanSupplier interruptedByStop;

	/** A moving average of how long handlers take, in ms; -1 until the first job. */
	private volatile double handlingMillis = -1;

	private volatile @Nullable ExecutorService handlers;

	/** The worker's maintenance thread, which also runs the attempt timeouts. */
	private volatile @Nullable ScheduledExecutorService maintenance;

	JobHandling(String queue, JobHandlerMethod method, QueueSettings settings, JobWorkers.Shared shared,
			QueueMetrics.Meters meters, byte[][] keys, Map<String, HeldJob> held, JobOutcomes outcomes,
			HandlerCircuit circuit, JobLeases leases, BooleanSupplier running, BooleanSupplier interruptedByStop) {
		this.queue = queue;
		this.method = method;
		this.settings = settings;
		this.shared = shared;
		this.meters = meters;
		this.payloadType = shared.mapper().getTypeFactory().constructType(method.payloadType());
		this.keys = keys;
		this.held = held;
		this.outcomes = outcomes;
		this.circuit = circuit;
		this.leases = leases;
		this.running = running;
		this.interruptedByStop = interruptedByStop;
	}

	/**
	 * Sets the threads of the run starting now.
	 * @param handlers the handler pool
	 * @param maintenance the maintenance thread, which runs the attempt timeouts
	 */
	void runOn(ExecutorService handlers, ScheduledExecutorService maintenance) {
		this.handlers = handlers;
		this.maintenance = maintenance;
	}

	/**
	 * How long handlers take, a moving average.
	 * @return milliseconds, -1 until the first job
	 */
	double handlingMillis() {
		return this.handlingMillis;
	}

	/**
	 * Hands a job just taken to a handler thread; it is held (its lease renewed) from now on.
	 * @param job the job
	 * @param slots the permits of the run that took it: the slot goes back there, even when the handler outlives a
	 * stop and a new start
	 */
	void dispatch(TakenJob job, Semaphore slots) {
		this.held.put(job.id(), new HeldJob(job.owner(), this.settings.lease().toMillis(), false));
		ExecutorService pool = this.handlers;
		try {
			Objects.requireNonNull(pool).execute(this.shared.threads().decorate(() -> handle(job, slots)));
		}
		catch (RejectedExecutionException | NullPointerException ex) {
			// Stopping: give it back for another worker.
			this.outcomes.add(new JobOutcomes.Released(job.id(), job.owner()));
			slots.release();
		}
	}

	private void handle(TakenJob job, Semaphore slots) {
		long start = System.nanoTime();
		try {
			if (!this.running.getAsBoolean()) {
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
				// Jackson's own words say which field or value is wrong; its location text would only repeat the payload.
				String reason = (ex instanceof JacksonException jackson) ? jackson.getOriginalMessage() : ex.getMessage();
				failed(job, new NonRetryableJobException("the payload could not be read as "
						+ this.payloadType.toCanonical() + ": " + reason, ex));
				return;
			}
			Observation observation = observe(job);
			AttemptTimer timer = AttemptTimer.start(job.attemptTimeout(), this.maintenance);
			boolean timerEnded = false;
			try (Observation.Scope scope = (observation != null) ? observation.openScope() : null) {
				Throwable error = null;
				try {
					invoke(job, payload);
				}
				catch (HandlerFailure failure) {
					error = failure.getCause();
				}
				boolean timedOut = timer.end();
				timerEnded = true;
				if (timedOut) {
					// Past its timeout the attempt has failed, even when the handler swallowed the interrupt and returned.
					error = new JobTimeoutException(job.id(), Objects.requireNonNull(job.attemptTimeout()));
				}
				if (error == null) {
					this.circuit.succeeded();
					this.outcomes.add(new JobOutcomes.Completed(job.id(), job.owner()));
				}
				else {
					if (observation != null && !(error instanceof JobBackOffException)) {
						// A back-off is the handler's choice, not a failure.
						observation.error(error);
					}
					outcome(job, error);
				}
			}
			finally {
				if (!timerEnded) {
					// Else its alarm would interrupt this thread later, in another job.
					timer.end();
				}
				if (observation != null) {
					observation.stop();
				}
			}
		}
		catch (RuntimeException | Error ex) {
			logger.error("Job " + job.id() + " of queue '" + this.queue + "' could not be handled", ex);
			failed(job, ex);
		}
		finally {
			long took = System.nanoTime() - start;
			if (!this.shared.observations().enabled()) {
				// With observations on, the observation's own timer counts the handling.
				this.meters.handled(took);
			}
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
			this.method.invoke(payload, new WorkerJobContext(this.queue, job, this.leases));
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
		if (!this.running.getAsBoolean() && (this.interruptedByStop.getAsBoolean() || error instanceof InterruptedException
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
		if (!this.shared.observations().enabled()) {
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
		return this.shared.observations().jobHandling(this.queue, job.id(), trace);
	}

}
