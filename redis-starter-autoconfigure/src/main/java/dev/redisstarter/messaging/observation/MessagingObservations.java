package dev.redisstarter.messaging.observation;

import java.util.Map;
import java.util.Objects;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Starts the messaging observations ({@link MessagingObservation}) on the application's registry, with the
 * application's conventions where it declared some and the defaults otherwise. Without a registry (or with a no-op
 * one) nothing is observed, and the capabilities record their own timers instead.
 */
public final class MessagingObservations {

	/**
	 * The conventions the application declared; {@code null} for the default.
	 * @param publish for publishes
	 * @param listener for {@code @RedisListener} handling
	 * @param streamHandling for {@code @StreamListener} handling
	 * @param enqueue for enqueues
	 * @param jobHandling for {@code @JobHandler} handling
	 */
	public record Conventions(@Nullable PublishObservationConvention publish,
			@Nullable ListenerObservationConvention listener,
			@Nullable StreamHandlingObservationConvention streamHandling,
			@Nullable EnqueueObservationConvention enqueue, @Nullable JobHandlingObservationConvention jobHandling) {

		/** The defaults everywhere. */
		public static final Conventions DEFAULTS = new Conventions(null, null, null, null, null);

	}

	private static final DefaultSendObservationConvention PUBLISH = new DefaultSendObservationConvention(
			MessagingObservation.PUBLISH);

	private static final DefaultSendObservationConvention ENQUEUE = new DefaultSendObservationConvention(
			MessagingObservation.ENQUEUE);

	private static final DefaultReceiveObservationConvention LISTENER = new DefaultReceiveObservationConvention(
			MessagingObservation.LISTENER);

	private static final DefaultReceiveObservationConvention STREAM = new DefaultReceiveObservationConvention(
			MessagingObservation.STREAM_HANDLING);

	private static final DefaultReceiveObservationConvention JOB = new DefaultReceiveObservationConvention(
			MessagingObservation.JOB_HANDLING);

	private final ObservationRegistry registry;

	private final Conventions conventions;

	/**
	 * Observations on a registry.
	 * @param registry the application's registry
	 * @param conventions the application's conventions
	 */
	public MessagingObservations(ObservationRegistry registry, Conventions conventions) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
		this.conventions = Objects.requireNonNull(conventions, "conventions must not be null");
	}

	/**
	 * Whether observations are made: the capabilities' own handling timers would then count the same work twice.
	 * @return false without a registry
	 */
	public boolean enabled() {
		return !this.registry.isNoop();
	}

	/**
	 * Starts a publish's observation; its tracer writes into {@code headers}.
	 * @param channel the channel
	 * @param headers the message's headers
	 * @return the started observation, or {@code null} when nothing is observed
	 */
	public @Nullable Observation publish(String channel, Map<String, String> headers) {
		return enabled() ? MessagingObservation.PUBLISH.observation(this.conventions.publish(), PUBLISH,
				() -> new RedisSendContext(MessagingObservation.PUBLISH, channel, headers), this.registry).start() : null;
	}

	/**
	 * Starts an enqueue's observation; its tracer writes into {@code trace}.
	 * @param queue the queue
	 * @param trace the fields stored with each job
	 * @return the started observation, or {@code null} when nothing is observed
	 */
	public @Nullable Observation enqueue(String queue, Map<String, String> trace) {
		return enabled() ? MessagingObservation.ENQUEUE.observation(this.conventions.enqueue(), ENQUEUE,
				() -> new RedisSendContext(MessagingObservation.ENQUEUE, queue, trace), this.registry).start() : null;
	}

	/**
	 * Starts a {@code @RedisListener}'s handling observation.
	 * @param channel the channel the message came on
	 * @param listener the listener's name
	 * @param headers the message's headers
	 * @return the started observation, or {@code null} when nothing is observed
	 */
	public @Nullable Observation listener(String channel, String listener, Map<String, String> headers) {
		return enabled() ? MessagingObservation.LISTENER.observation(this.conventions.listener(), LISTENER,
				() -> new RedisReceiveContext(MessagingObservation.LISTENER, channel, listener, null, null, headers),
				this.registry).start() : null;
	}

	/**
	 * Starts a {@code @StreamListener}'s handling observation.
	 * @param stream the stream
	 * @param group the consumer group
	 * @param listener the listener's name
	 * @param entryId the entry's id (the first one's for a batch)
	 * @return the started observation, or {@code null} when nothing is observed
	 */
	public @Nullable Observation streamHandling(String stream, String group, String listener, String entryId) {
		return enabled() ? MessagingObservation.STREAM_HANDLING.observation(this.conventions.streamHandling(), STREAM,
				() -> new RedisReceiveContext(MessagingObservation.STREAM_HANDLING, stream, listener, group, entryId,
						Map.of()),
				this.registry).start() : null;
	}

	/**
	 * Starts a {@code @JobHandler}'s handling observation.
	 * @param queue the queue
	 * @param jobId the job's id
	 * @param trace the trace fields the enqueue stored
	 * @return the started observation, or {@code null} when nothing is observed
	 */
	public @Nullable Observation jobHandling(String queue, String jobId, Map<String, String> trace) {
		return enabled() ? MessagingObservation.JOB_HANDLING.observation(this.conventions.jobHandling(), JOB,
				() -> new RedisReceiveContext(MessagingObservation.JOB_HANDLING, queue, null, null, jobId, trace),
				this.registry).start() : null;
	}

}
