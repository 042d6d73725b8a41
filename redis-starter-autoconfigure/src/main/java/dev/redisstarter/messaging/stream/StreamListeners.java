package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.messaging.observation.MessagingObservations;
import dev.redisstarter.core.InvalidAnnotationException;
import dev.redisstarter.core.ParallelStop;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.StarterThreads;

/**
 * Starts a {@link StreamConsumer} for every {@link StreamListener} method when the context starts, and stops
 * them (gracefully) when it stops, before the starter's connection closes.
 */
public final class StreamListeners implements SmartLifecycle {

	/**
	 * What every consumer shares.
	 *
	 * @param access opens the read connections
	 * @param calls acknowledgements, scripts and housekeeping, with the streams deadline
	 * @param streamKeys names the streams
	 * @param mapper reads payloads
	 * @param metrics meters
	 * @param settings each stream's settings
	 * @param defaultGroup the group of listeners that name none
	 * @param defaultConcurrency the concurrency of listeners that set none
	 * @param instanceId this instance's stable name (durable-topic groups, consumer names)
	 * @param shutdownWait how long in-flight entries may finish on shutdown
	 * @param instanceExpiry a durable-topic instance not seen for this long is removed
	 * @param placeholders resolves {@code ${...}} in annotation attributes
	 * @param threads makes the consumers' threads and decorates handler calls
	 */
	public record Context(RedisAccess access, RedisCalls calls, StreamKeys streamKeys, JsonMapper mapper, StreamMetrics metrics,
			Function<String, StreamSettings> settings, String defaultGroup, int defaultConcurrency, String instanceId,
			Duration shutdownWait, Duration instanceExpiry, UnaryOperator<String> placeholders, StarterThreads threads,
			MessagingObservations observations) {
	}

	private final StreamListenerAnnotationBeanPostProcessor declarations;

	private final Context context;

	private final StreamScripts scripts = StreamScripts.load();

	private final List<StreamConsumer> consumers = new ArrayList<>();

	private volatile boolean running;

	/**
	 * The listeners of a context.
	 * @param declarations the methods found
	 * @param context what the consumers share
	 */
	public StreamListeners(StreamListenerAnnotationBeanPostProcessor declarations, Context context) {
		this.declarations = Objects.requireNonNull(declarations, "declarations must not be null");
		this.context = Objects.requireNonNull(context, "context must not be null");
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		if (this.consumers.isEmpty()) {
			for (StreamListenerAnnotationBeanPostProcessor.Declaration declaration : this.declarations.declarations()) {
				this.consumers.add(consumer(declaration));
			}
		}
		this.consumers.forEach(StreamConsumer::start);
		this.running = true;
	}

	private StreamConsumer consumer(StreamListenerAnnotationBeanPostProcessor.Declaration declaration) {
		StreamListener annotation = declaration.annotation();
		String stream = this.context.placeholders().apply(annotation.stream());
		String group = this.context.placeholders().apply(annotation.group());
		if (stream == null || stream.isBlank()) {
			throw new InvalidAnnotationException("@StreamListener", declaration.method(), "stream must be set", null);
		}
		if (group == null || group.isBlank()) {
			group = this.context.defaultGroup();
		}
		if (annotation.broadcast() && annotation.atMostOnce()) {
			throw new InvalidAnnotationException("@StreamListener", declaration.method(),
					"a durable topic (broadcast) replays what it missed: it cannot be at-most-once", null);
		}
		if (annotation.concurrency() < 0 || annotation.concurrency() > 256) {
			throw new InvalidAnnotationException("@StreamListener", declaration.method(),
					"concurrency must be between 1 and 256, was " + annotation.concurrency(), null);
		}
		String listener = annotation.id().isEmpty()
				? declaration.method().getDeclaringClass().getSimpleName() + "." + declaration.method().getName()
				: annotation.id();
		String instance = this.context.instanceId();
		String effectiveGroup = annotation.broadcast() ? group + ":" + instance : group;
		String consumerName = instance + "-" + UUID.randomUUID().toString().substring(0, 8);
		StreamSettings settings;
		try {
			settings = this.context.settings().apply(stream);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidAnnotationException("@StreamListener", declaration.method(), ex.getMessage(), ex);
		}
		ConsumerSpec spec = new ConsumerSpec(listener, stream, this.context.streamKeys().stream(stream),
				this.context.streamKeys().deadLetters(stream), this.context.streamKeys().instances(stream), effectiveGroup,
				consumerName, settings,
				(annotation.concurrency() > 0) ? annotation.concurrency() : this.context.defaultConcurrency(),
				annotation.batch(), annotation.atMostOnce(), annotation.broadcast(), this.context.shutdownWait(),
				this.context.instanceExpiry(), group);
		return new StreamConsumer(spec, this.context.access(), this.context.calls(), this.scripts,
				declaration.invocable(), this.context.mapper(), this.context.metrics().forGroup(stream, effectiveGroup),
				this.context.threads(), this.context.observations());
	}

	@Override
	public synchronized void stop() {
		// In parallel: each waits up to the shutdown wait for its in-flight entries.
		ParallelStop.stopAll(this.consumers, StreamConsumer::stop, (consumer) -> "stream-" + consumer.spec().listener() + "-stop");
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Whether every consumer is reading (connected, its group in place).
	 * @return true when all read
	 */
	public boolean allReading() {
		return this.consumers.stream().allMatch(StreamConsumer::isReading);
	}

	/**
	 * One consumer's state.
	 *
	 * @param listener the listener's id
	 * @param stream the stream's name
	 * @param group its group
	 * @param consumer its consumer name
	 * @param state {@code reading}, {@code paused} (its circuit is open or probing), {@code waiting for Redis} or
	 * {@code stopped}
	 * @param circuit its circuit's state: {@code CLOSED}, {@code OPEN} (the method kept failing: nothing is read or
	 * dead-lettered) or {@code PROBING}
	 * @param circuitOpenings how many times the circuit opened since start
	 * @param circuitLastError the last failure the circuit counted, or empty
	 */
	public record ConsumerState(String listener, String stream, String group, String consumer, ConsumerStatus state,
			String circuit, long circuitOpenings, String circuitLastError) {
	}

	/**
	 * Each consumer's state, for health and the Actuator endpoint.
	 * @return one per {@code @StreamListener} method
	 */
	public List<ConsumerState> states() {
		return this.consumers.stream()
			.map((consumer) -> new ConsumerState(consumer.spec().listener(), consumer.spec().stream(),
					consumer.spec().group(), consumer.spec().consumer(), state(consumer), consumer.circuit().state().name(),
					consumer.circuit().openings(), consumer.circuit().lastError()))
			.toList();
	}

	private static ConsumerStatus state(StreamConsumer consumer) {
		if (!consumer.isReading()) {
			return consumer.isRunning() ? ConsumerStatus.WAITING_FOR_REDIS : ConsumerStatus.STOPPED;
		}
		return (consumer.circuit().state() == dev.redisstarter.messaging.HandlerCircuit.State.CLOSED)
				? ConsumerStatus.READING : ConsumerStatus.PAUSED;
	}

	/**
	 * How many old dead letters of a stream its length bound dropped since start, as this instance's consumers saw.
	 * @param stream the stream's name
	 * @return the count
	 */
	public long deadLettersTrimmed(String stream) {
		return this.context.metrics().deadLettersTrimmed(stream);
	}

	/**
	 * The consumers' descriptions, for health and the Actuator endpoint.
	 * @return one line per consumer
	 */
	public List<String> describe() {
		return this.consumers.stream()
			.map((consumer) -> consumer.spec().listener() + " on '" + consumer.spec().stream() + "' group "
					+ consumer.spec().group() + " as " + consumer.spec().consumer() + ": "
					+ state(consumer))
			.toList();
	}

}
