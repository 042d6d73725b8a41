package dev.redisstarter.messaging.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations the starter's messaging makes: one per publish, per message a {@code @RedisListener} handles, per
 * entry a {@code @StreamListener} handles, per enqueue and per job a {@code @JobHandler} handles. Each is named and
 * tagged by its default convention; declare a bean of the matching {@code ...ObservationConvention} interface to
 * change the name, the contextual name or the key values. With Spring Boot's Actuator each observation is also a
 * timer of the same name (Boot's {@code DefaultMeterObservationHandler}), so the starter then records no timer of its
 * own for the same work. The table in docs/observability.md is generated from this enum.
 */
public enum MessagingObservation implements ObservationDocumentation {

	/** A message published on a channel ({@code MessageBus.publish}, requests and replies). */
	PUBLISH {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSendObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { MessagingKeys.SYSTEM };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { MessagingKeys.DESTINATION };
		}
	},

	/** A message handled by a {@code @RedisListener} method. */
	LISTENER {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultReceiveObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { MessagingKeys.SYSTEM, MessagingKeys.LISTENER };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { MessagingKeys.DESTINATION };
		}
	},

	/** A stream entry (or one batch) handled by a {@code @StreamListener} method. */
	STREAM_HANDLING {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultReceiveObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { MessagingKeys.SYSTEM, MessagingKeys.DESTINATION, MessagingKeys.CONSUMER_GROUP,
					MessagingKeys.LISTENER };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { MessagingKeys.MESSAGE_ID };
		}
	},

	/** Jobs enqueued in one call ({@code JobQueue.enqueue}, {@code enqueueAll}). */
	ENQUEUE {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSendObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { MessagingKeys.SYSTEM, MessagingKeys.DESTINATION };
		}
	},

	/** One attempt of a job handled by a {@code @JobHandler} method. */
	JOB_HANDLING {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultReceiveObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { MessagingKeys.SYSTEM, MessagingKeys.DESTINATION };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { MessagingKeys.MESSAGE_ID };
		}
	};

	/**
	 * The observation's name under its default convention.
	 * @return such as {@code redis.starter.queue.handle}
	 */
	public String defaultName() {
		return switch (this) {
			case PUBLISH -> "redis.starter.messaging.publish";
			case LISTENER -> "redis.starter.messaging.receive";
			case STREAM_HANDLING -> "redis.starter.stream.handle";
			case ENQUEUE -> "redis.starter.queue.enqueue";
			case JOB_HANDLING -> "redis.starter.queue.handle";
		};
	}

	/**
	 * The bean type an application declares to name and tag this observation its own way.
	 * @return such as {@link JobHandlingObservationConvention}
	 */
	public Class<? extends ObservationConvention<?>> conventionType() {
		return switch (this) {
			case PUBLISH -> PublishObservationConvention.class;
			case LISTENER -> ListenerObservationConvention.class;
			case STREAM_HANDLING -> StreamHandlingObservationConvention.class;
			case ENQUEUE -> EnqueueObservationConvention.class;
			case JOB_HANDLING -> JobHandlingObservationConvention.class;
		};
	}

	/**
	 * The contextual name (a span's name) under the default convention, with {@code <destination>} for the channel,
	 * stream or queue.
	 * @return such as {@code <destination> process}
	 */
	public String defaultContextualName() {
		return switch (this) {
			case PUBLISH -> "<destination> send";
			case LISTENER -> "<destination> receive";
			case STREAM_HANDLING, JOB_HANDLING -> "<destination> process";
			case ENQUEUE -> "<destination> enqueue";
		};
	}

	/** The key names the default conventions use. */
	public enum MessagingKeys implements KeyName {

		/** Always {@code redis}. */
		SYSTEM {
			@Override
			public String asString() {
				return "messaging.system";
			}
		},

		/** The channel, stream or queue. */
		DESTINATION {
			@Override
			public String asString() {
				return "messaging.destination.name";
			}
		},

		/** The stream's consumer group. */
		CONSUMER_GROUP {
			@Override
			public String asString() {
				return "messaging.consumer.group.name";
			}
		},

		/** The listener's name (its id, or bean and method). */
		LISTENER {
			@Override
			public String asString() {
				return "listener";
			}
		},

		/** The stream entry's or job's id. */
		MESSAGE_ID {
			@Override
			public String asString() {
				return "messaging.message.id";
			}
		}

	}

}
