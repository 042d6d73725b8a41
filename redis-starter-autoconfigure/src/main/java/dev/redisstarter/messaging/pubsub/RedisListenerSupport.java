package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.messaging.observation.MessagingObservations;
import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.core.StarterThreads;

/**
 * What the starter's {@code @RedisListener} and {@code @KeyEventListener} endpoints need at start: the
 * subscriber, channel names, the bus (for replies), the error handler, meters, observations and the
 * dispatch settings. One bean; endpoints look it up when they start, so listener beans can be created
 * before it.
 */
public final class RedisListenerSupport {

	private final PubSubSubscriber subscriber;

	private final ChannelNames names;

	private final RedisMessageBus bus;

	private final ListenerErrorHandler errorHandler;

	private final MessagingMetrics metrics;

	private final MessagingObservations observations;

	private final JsonMapper mapper;

	private final DispatchSettings defaults;

	private final Map<String, DispatchOverride> perListener;

	private final Duration shutdownWait;

	private final StarterThreads threads;

	/**
	 * Everything the endpoints share.
	 * @param subscriber subscribes routes
	 * @param names turns topics into routes
	 * @param bus sends replies
	 * @param errorHandler sees failures
	 * @param metrics meters
	 * @param observations observes each message
	 * @param mapper reads envelopes
	 * @param defaults dispatch settings of listeners not configured otherwise
	 * @param perListener configured dispatch settings by listener id, over the annotation's
	 * @param shutdownWait how long a stopping listener may finish what it queued
	 * @param threads makes the listeners' threads and decorates their calls
	 */
	public RedisListenerSupport(PubSubSubscriber subscriber, ChannelNames names, RedisMessageBus bus,
			ListenerErrorHandler errorHandler, MessagingMetrics metrics, MessagingObservations observations,
			JsonMapper mapper, DispatchSettings defaults, Map<String, DispatchOverride> perListener,
			Duration shutdownWait, StarterThreads threads) {
		this.subscriber = Objects.requireNonNull(subscriber, "subscriber must not be null");
		this.names = Objects.requireNonNull(names, "names must not be null");
		this.bus = Objects.requireNonNull(bus, "bus must not be null");
		this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler must not be null");
		this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
		this.observations = Objects.requireNonNull(observations, "observations must not be null");
		this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
		this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
		this.perListener = Map.copyOf(perListener);
		this.shutdownWait = Objects.requireNonNull(shutdownWait, "shutdownWait must not be null");
		this.threads = Objects.requireNonNull(threads, "threads must not be null");
	}

	StarterThreads threads() {
		return this.threads;
	}

	PubSubSubscriber subscriber() {
		return this.subscriber;
	}

	ChannelNames names() {
		return this.names;
	}

	RedisMessageBus bus() {
		return this.bus;
	}

	ListenerErrorHandler errorHandler() {
		return this.errorHandler;
	}

	MessagingMetrics metrics() {
		return this.metrics;
	}

	MessagingObservations observations() {
		return this.observations;
	}

	JsonMapper mapper() {
		return this.mapper;
	}

	/** When the current shutdown's wait ends (nanos), shared by every listener that stops with it. */
	private final java.util.concurrent.atomic.AtomicLong stopDeadline = new java.util.concurrent.atomic.AtomicLong();

	/**
	 * What is left of the shutdown wait for a listener that stops now: listeners stop one after another, and
	 * all of them together wait at most {@code shutdown-wait}, not that much each. A stop long after the last
	 * one starts a new wait.
	 * @return the time this listener may still wait
	 */
	Duration remainingShutdownWait() {
		long now = System.nanoTime();
		long deadline = this.stopDeadline.updateAndGet((current) -> (current == 0
				|| now - current > this.shutdownWait.toNanos()) ? now + this.shutdownWait.toNanos() : current);
		return Duration.ofNanos(Math.max(0, deadline - now));
	}

	/**
	 * A listener's dispatch settings, attribute by attribute: the configured defaults, over them the method's
	 * {@link ListenerOptions}, over those {@code redis.starter.messaging.listeners.<id>}.
	 * @param listener the listener's id
	 * @param method its method
	 * @return the settings
	 * @throws IllegalArgumentException when the combination is invalid (named after the listener)
	 */
	DispatchSettings dispatchSettings(String listener, Method method) {
		ListenerOptions options = method.getAnnotation(ListenerOptions.class);
		DispatchSettings annotated = this.defaults;
		if (options != null) {
			try {
				annotated = new DispatchOverride((options.concurrency() > 0) ? options.concurrency() : null,
						(options.queueCapacity() > 0) ? options.queueCapacity() : null,
						(options.whenFull().length > 0) ? options.whenFull()[0] : null,
						(options.ordered().length > 0) ? options.ordered()[0] : null)
					.over(this.defaults);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Invalid @ListenerOptions on " + method + ": " + ex.getMessage(), ex);
			}
		}
		DispatchOverride configured = this.perListener.get(listener);
		if (configured == null) {
			return annotated;
		}
		try {
			return configured.over(annotated);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"Invalid redis.starter.messaging.listeners." + listener + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * A listener's name for meters, threads and settings.
	 * @param id the endpoint id (generated ids are replaced)
	 * @param method the method
	 * @return the id when one was given, else {@code SimpleClassName.method}
	 */
	static String listenerName(@Nullable String id, Method method) {
		if (id == null || id.isEmpty() || id.startsWith("org.springframework.data.redis.config.RedisListenerEndpoint#")) {
			return method.getDeclaringClass().getSimpleName() + "." + method.getName();
		}
		return id;
	}

}
