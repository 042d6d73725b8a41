package dev.redisstarter.messaging.queue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.messaging.observation.MessagingObservations;
import dev.redisstarter.core.InvalidAnnotationException;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.ParallelStop;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.StarterThreads;
import dev.redisstarter.messaging.HandlerCircuit;

/**
 * Starts a {@link JobWorker} for every {@link JobHandler} method when the context starts, and stops them
 * gracefully (in parallel, each within the shutdown wait) when it stops. Stops before the web server does not
 * matter here: workers take no requests.
 */
public final class JobWorkers implements SmartLifecycle {

	/**
	 * What every worker shares.
	 *
	 * @param access opens the workers' blocking connections
	 * @param calls scripts, with the queue deadline
	 * @param queueKeys names the queues
	 * @param scripts the queue scripts
	 * @param mapper reads payloads
	 * @param codec writes progress
	 * @param metrics meters
	 * @param observations handling observations
	 * @param settings each queue's settings
	 * @param shutdownWait how long running jobs may finish on shutdown
	 * @param placeholders resolves {@code ${...}} in annotation attributes
	 * @param threads makes the workers' threads and decorates handler calls
	 */
	record Shared(RedisAccess access, RedisCalls calls, QueueKeys queueKeys, QueueScripts scripts, JsonMapper mapper,
			JsonCodec codec, QueueMetrics metrics, MessagingObservations observations, QueueSettingsByName settings,
			Duration shutdownWait, UnaryOperator<String> placeholders, StarterThreads threads, String instance) {
	}

	/**
	 * One worker's state.
	 *
	 * @param queue the queue
	 * @param handler the handler method
	 * @param concurrency its concurrency
	 * @param state {@code running}, {@code paused} (backing off), {@code waiting} (for Redis) or {@code stopped}
	 * @param held how many jobs it holds (running, taken ahead, or with an outcome not yet recorded)
	 * @param circuit its handler's circuit: {@code closed}, {@code open} (taking nothing, dead-lettering nothing) or
	 * {@code probing}
	 * @param circuitOpenings how many times that circuit opened
	 * @param circuitError the last failure the circuit counted, or empty
	 */
	public record WorkerState(String queue, String handler, int concurrency, WorkerStatus state, int held, String circuit,
			long circuitOpenings, String circuitError) {
	}

	private final JobHandlerAnnotationBeanPostProcessor declarations;

	private final Shared shared;

	private final List<JobWorker> workers = new ArrayList<>();

	private final List<String> handlerNames = new ArrayList<>();

	private volatile boolean running;

	JobWorkers(JobHandlerAnnotationBeanPostProcessor declarations, Shared shared) {
		this.declarations = Objects.requireNonNull(declarations, "declarations must not be null");
		this.shared = shared;
	}

	/**
	 * Workers for the handlers found.
	 * @param declarations the handler methods found
	 * @param access the starter's access to Redis
	 * @param calls scripts, with the queue deadline
	 * @param keys the queue keys
	 * @param mapper reads payloads
	 * @param codec writes progress
	 * @param metrics meters
	 * @param observations handling observations
	 * @param settings each queue's settings
	 * @param shutdownWait how long running jobs may finish on shutdown
	 * @param placeholders resolves {@code ${...}} in annotation attributes
	 * @param threads makes the workers' threads and decorates handler calls
	 * @return the workers
	 */
	public static JobWorkers create(JobHandlerAnnotationBeanPostProcessor declarations, RedisAccess access,
			RedisCalls calls, QueueKeys keys, JsonMapper mapper, JsonCodec codec, QueueMetrics metrics,
			MessagingObservations observations, QueueSettingsByName settings, Duration shutdownWait,
			UnaryOperator<String> placeholders, StarterThreads threads) {
		Shared shared = new Shared(access, calls, keys, QueueScripts.load(), mapper, codec, metrics, observations,
				settings, shutdownWait, placeholders, threads, instanceName());
		return new JobWorkers(declarations, shared);
	}

	/**
	 * How this instance's workers name it in their check-ins: the host and process, and a random part, since one
	 * process may run several applications.
	 */
	private static String instanceName() {
		String host = System.getenv("HOSTNAME");
		if (host == null || host.isBlank()) {
			try {
				host = InetAddress.getLocalHost().getHostName();
			}
			catch (IOException | RuntimeException ex) {
				host = "instance";
			}
		}
		return host + ":" + ProcessHandle.current().pid() + "-"
				+ Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		if (this.workers.isEmpty()) {
			Set<String> seen = new HashSet<>();
			for (JobHandlerAnnotationBeanPostProcessor.Declaration declaration : this.declarations.declarations()) {
				String queue = this.shared.placeholders().apply(declaration.annotation().queue());
				try {
					QueueKeys.requireName(queue);
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidAnnotationException("@JobHandler", declaration.method(), ex.getMessage(), ex);
				}
				if (!seen.add(queue)) {
					throw new InvalidAnnotationException("@JobHandler", declaration.method(),
							"queue '" + queue + "' already has a @JobHandler in this application", null);
				}
				QueueSettings settings = this.shared.settings().of(queue);
				int concurrency = (declaration.annotation().concurrency() > 0) ? declaration.annotation().concurrency()
						: settings.concurrency();
				String handler = declaration.method().getDeclaringClass().getSimpleName() + "."
						+ declaration.method().getName();
				this.workers.add(new JobWorker(queue, handler, declaration.invocable(), concurrency, settings,
						this.shared));
				this.handlerNames.add(handler);
			}
		}
		this.workers.forEach(JobWorker::start);
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		// In parallel: each waits up to the shutdown wait for its running jobs.
		ParallelStop.stopAll(this.workers, JobWorker::stop, (worker) -> "queue-" + worker.queue() + "-stop");
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Each worker's state, for health and the Actuator endpoint.
	 * @return one per {@code @JobHandler} method
	 */
	public List<WorkerState> states() {
		List<WorkerState> states = new ArrayList<>();
		for (int i = 0; i < this.workers.size(); i++) {
			JobWorker worker = this.workers.get(i);
			HandlerCircuit circuit = worker.circuit();
			states.add(new WorkerState(worker.queue(), this.handlerNames.get(i), worker.concurrency(), worker.state(),
					worker.heldCount(), circuit.state().name().toLowerCase(java.util.Locale.ROOT), circuit.openings(),
					circuit.lastError()));
		}
		return states;
	}

	/**
	 * The queues this application handles.
	 * @return their names
	 */
	public List<String> queues() {
		return this.workers.stream().map(JobWorker::queue).toList();
	}

}
