package dev.redisstarter.console;

import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.messaging.queue.JobDeadLetters;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.actuate.JobQueuesEndpoint;
import dev.redisstarter.messaging.stream.DeadLetters;
import dev.redisstarter.messaging.stream.actuate.StreamsEndpoint;

/**
 * Assembles the console's {@link ConsoleApi} from what the application has: the server and meter views always,
 * the job queue and stream views when those capabilities are on. Immutable: each {@code with...} returns a new
 * instance.
 */
public final class ConsoleViews {

	private final RedisAccess access;

	private final RedisCalls calls;

	private final KeyNaming naming;

	private final ConsoleSettings settings;

	private final @Nullable MeterRegistry meterRegistry;

	private final @Nullable QueueView queues;

	private final @Nullable StreamView streams;

	private final @Nullable CapabilityHealth health;

	/**
	 * Views without job queues or streams.
	 * @param access the starter's access (its circuit)
	 * @param calls the console's calls, bounded by {@code redis.starter.console.timeout}
	 * @param naming the starter's key naming
	 * @param settings the console's settings
	 * @param meterRegistry the application's meters, or {@code null}
	 */
	public ConsoleViews(RedisAccess access, RedisCalls calls, KeyNaming naming, ConsoleSettings settings,
			@Nullable MeterRegistry meterRegistry) {
		this(access, calls, naming, settings, meterRegistry, null, null, null);
	}

	private ConsoleViews(RedisAccess access, RedisCalls calls, KeyNaming naming, ConsoleSettings settings,
			@Nullable MeterRegistry meterRegistry, @Nullable QueueView queues, @Nullable StreamView streams,
			@Nullable CapabilityHealth health) {
		this.access = Objects.requireNonNull(access, "access must not be null");
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.naming = Objects.requireNonNull(naming, "naming must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.meterRegistry = meterRegistry;
		this.queues = queues;
		this.streams = streams;
		this.health = health;
	}

	/**
	 * These views with the job queues.
	 * @param endpoint the Actuator endpoint's logic (counts, workers, dead letters)
	 * @param jobs the queue API
	 * @param deadLetters the dead letters
	 * @return new views
	 */
	public ConsoleViews withQueues(JobQueuesEndpoint endpoint, JobQueue jobs, JobDeadLetters deadLetters) {
		return new ConsoleViews(this.access, this.calls, this.naming, this.settings, this.meterRegistry,
				new QueueView(endpoint, jobs, deadLetters, this.settings), this.streams, this.health);
	}

	/**
	 * These views with the streams.
	 * @param endpoint the Actuator endpoint's logic (groups, consumers, dead letters)
	 * @param deadLetters the dead letters
	 * @return new views
	 */
	public ConsoleViews withStreams(StreamsEndpoint endpoint, DeadLetters deadLetters) {
		return new ConsoleViews(this.access, this.calls, this.naming, this.settings, this.meterRegistry, this.queues,
				new StreamView(endpoint, deadLetters, this.calls, this.settings), this.health);
	}

	/**
	 * These views with the capabilities' health in the overview.
	 * @param health the health components' statuses
	 * @return new views
	 */
	public ConsoleViews withHealth(CapabilityHealth health) {
		return new ConsoleViews(this.access, this.calls, this.naming, this.settings, this.meterRegistry, this.queues,
				this.streams, health);
	}

	/**
	 * The API over these views.
	 * @return the API's handlers
	 */
	public ConsoleApi api() {
		RedisNodes nodes = new RedisNodes(this.calls, this.access.circuit().target());
		return new ConsoleApi(this.access, new ServerInsight(nodes, this.naming, this.settings), this.queues,
				this.streams, new MeterView(this.meterRegistry), this.health, this.settings,
				new HeldLocksView(nodes, this.naming, this.settings.listSize(), this.settings.sampleTimeBudget()));
	}

}
