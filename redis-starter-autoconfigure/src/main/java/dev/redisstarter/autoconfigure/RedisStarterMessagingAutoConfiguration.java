package dev.redisstarter.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.data.redis.config.RedisListenerConfigurer;
import org.springframework.data.redis.serializer.RedisMessageConverters;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.messaging.observation.MessagingObservations;
import dev.redisstarter.core.Durations;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.StarterThreads;
import dev.redisstarter.messaging.pubsub.ChannelNames;
import dev.redisstarter.messaging.pubsub.ChannelSettings;
import dev.redisstarter.messaging.pubsub.DispatchOverride;
import dev.redisstarter.messaging.pubsub.DispatchSettings;
import dev.redisstarter.messaging.pubsub.JsonPayloadConverter;
import dev.redisstarter.messaging.pubsub.ListenerErrorHandler;
import dev.redisstarter.messaging.pubsub.LoggingListenerErrorHandler;
import dev.redisstarter.messaging.pubsub.MessageBus;
import dev.redisstarter.messaging.pubsub.MessagingMetrics;
import dev.redisstarter.core.subscription.PubSubSubscriber;
import dev.redisstarter.messaging.pubsub.RedisListenerSupport;
import dev.redisstarter.messaging.pubsub.RedisMessageBus;

/**
 * Pub/sub from {@code redis.starter.messaging.*}: the {@link MessageBus}, the subscriber that serves
 * {@code @RedisListener} and {@code @KeyEventListener} methods, their error handler and JSON payload
 * conversion with the application's {@code JsonMapper}. Off with {@code redis.starter.messaging.enabled=false}.
 */
@AutoConfiguration(after = { RedisStarterAutoConfiguration.class, RedisStarterListenerAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnBean({ RedisAccess.class, KeyNaming.class })
@ConditionalOnClass({ RedisListener.class, InvocableHandlerMethod.class })
@ConditionalOnEnabled("redis.starter.messaging.enabled")
public final class RedisStarterMessagingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ChannelNames redisStarterChannelNames(RedisStarterProperties properties, KeyNaming keys) {
		MessagingProperties messaging = properties.getMessaging();
		String prefix = (messaging.getChannelPrefix() != null) ? messaging.getChannelPrefix() : keys.prefix();
		Map<String, ChannelSettings> channels = new LinkedHashMap<>();
		messaging.getChannels()
			.forEach((name, channel) -> channels.put(name, new ChannelSettings(channel.isPrefixed(), channel.isSharded())));
		try {
			return new ChannelNames(prefix, channels);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPropertyException("redis.starter.messaging.channels", ex.getMessage());
		}
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	PubSubSubscriber redisStarterPubSubSubscriber(RedisAccess access, RedisStarterProperties properties,
			MessagingMetrics metrics) {
		long inboxLimit = properties.getMessaging().getInboxLimit().toBytes();
		if (inboxLimit < 1) {
			throw new InvalidPropertyException("redis.starter.messaging.inbox-limit",
					properties.getMessaging().getInboxLimit(), "a positive size");
		}
		PubSubSubscriber subscriber = new PubSubSubscriber(access,
				properties.getMessaging().getKeyspace().isConfigureServer(), inboxLimit);
		metrics.inbox(subscriber);
		subscriber.start();
		return subscriber;
	}

	@Bean
	ListenerSubscriptionsWait redisStarterListenerSubscriptionsWait(PubSubSubscriber subscriber, RedisAccess access,
			RedisStarterProperties properties) {
		return new ListenerSubscriptionsWait(subscriber, access, properties.getResilience().getStartupWait());
	}

	@Bean
	@ConditionalOnMissingBean
	MessagingMetrics redisStarterMessagingMetrics(ObjectProvider<MeterRegistry> meterRegistry, MessagingObservations observations) {
		// With observations on, each handling is timed by its observation, not twice.
		return new MessagingMetrics(meterRegistry.getIfUnique(), !observations.enabled());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(MessageBus.class)
	RedisMessageBus redisStarterMessageBus(RedisAccess access, RedisStarterProperties properties, ChannelNames names,
			PubSubSubscriber subscriber, ObjectProvider<JsonMapper> jsonMapper, MessagingMetrics metrics,
			MessagingObservations observations) {
		MessagingProperties messaging = properties.getMessaging();
		Durations.requirePositive("redis.starter.messaging.timeout", messaging.getTimeout());
		Durations.requirePositive("redis.starter.messaging.request-timeout", messaging.getRequestTimeout());
		return new RedisMessageBus(access.calls(Feature.MESSAGING, messaging.getTimeout()), names, subscriber,
				mapper(jsonMapper), metrics, observations,
				messaging.getRequestTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	ListenerErrorHandler redisStarterListenerErrorHandler() {
		return new LoggingListenerErrorHandler();
	}

	@Bean
	RedisListenerConfigurer redisStarterListenerPayloads(ObjectProvider<JsonMapper> jsonMapper) {
		JsonPayloadConverter converter = new JsonPayloadConverter(mapper(jsonMapper));
		return new RedisListenerConfigurer() {
			@Override
			public void configureMessageConverters(RedisMessageConverters.Builder builder) {
				builder.addCustomConverter(converter);
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	RedisListenerSupport redisStarterListenerSupport(PubSubSubscriber subscriber, ChannelNames names,
			ObjectProvider<RedisMessageBus> bus, RedisAccess access, RedisStarterProperties properties,
			ListenerErrorHandler errorHandler, MessagingMetrics metrics, ObjectProvider<JsonMapper> jsonMapper,
			MessagingObservations observations, StarterThreads threads) {
		MessagingProperties messaging = properties.getMessaging();
		JsonMapper mapper = mapper(jsonMapper);
		// Replies go out through the starter's bus even when the application declared a MessageBus of its own.
		RedisMessageBus replies = bus.getIfAvailable(() -> new RedisMessageBus(
				access.calls(Feature.MESSAGING, messaging.getTimeout()), names, subscriber, mapper, metrics, observations,
				messaging.getRequestTimeout()));
		DispatchSettings defaults = dispatch("redis.starter.messaging.listener", messaging.getListener().getConcurrency(),
				messaging.getListener().getQueueCapacity(), messaging.getListener().getWhenFull(),
				messaging.getListener().isOrdered());
		Map<String, DispatchOverride> perListener = new LinkedHashMap<>();
		messaging.getListeners().forEach((id, override) -> {
			DispatchOverride configured = new DispatchOverride(override.getConcurrency(), override.getQueueCapacity(),
					override.getWhenFull(), override.getOrdered());
			try {
				// Checked over the defaults now, so that a bad value stops start-up naming the property.
				configured.over(defaults);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidPropertyException("redis.starter.messaging.listeners." + id, ex.getMessage());
			}
			perListener.put(id, configured);
		});
		Durations.requirePositive("redis.starter.messaging.shutdown-wait", messaging.getShutdownWait());
		return new RedisListenerSupport(subscriber, names, replies, errorHandler, metrics, observations, mapper, defaults,
				perListener, messaging.getShutdownWait(), threads);
	}

	/**
	 * An application that declares {@code @EnableRedisListeners} itself keeps Spring's processor: its listeners
	 * are not prefixed, do not answer requests and lose the starter's dispatch. Say so once at start-up.
	 */
	@Bean
	static org.springframework.beans.factory.SmartInitializingSingleton redisStarterListenerProcessorCheck(
			org.springframework.beans.factory.ListableBeanFactory beanFactory) {
		return () -> {
			String name = org.springframework.data.redis.config.RedisListenerConfigUtils.REDIS_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME;
			if (beanFactory.containsBean(name) && !(beanFactory
				.getBean(name) instanceof dev.redisstarter.messaging.pubsub.StarterRedisListenerAnnotationBeanPostProcessor)) {
				org.apache.commons.logging.LogFactory.getLog(RedisStarterMessagingAutoConfiguration.class)
					.warn("@RedisListener methods are served by Spring's own container (the application declares"
							+ " @EnableRedisListeners or its own processor): their channels are not prefixed, they do"
							+ " not answer MessageBus requests and @KeyEventListener methods are not started. Remove"
							+ " @EnableRedisListeners to let the starter serve them.");
			}
		};
	}

	private static DispatchSettings dispatch(String property, int concurrency, int queueCapacity,
			dev.redisstarter.messaging.pubsub.WhenFull whenFull, boolean ordered) {
		try {
			return new DispatchSettings(concurrency, queueCapacity, whenFull, ordered);
		}
		catch (IllegalArgumentException ex) {
			// No cause: the message says it all, and start-up failure reports show the root cause.
			throw new InvalidPropertyException(property, ex.getMessage());
		}
	}

	private static JsonMapper mapper(ObjectProvider<JsonMapper> jsonMapper) {
		return jsonMapper.getIfUnique(() -> JsonMapper.builder().build());
	}

}
