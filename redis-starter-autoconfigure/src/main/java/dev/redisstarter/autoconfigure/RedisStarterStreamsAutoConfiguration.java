package dev.redisstarter.autoconfigure;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.messaging.observation.MessagingObservations;
import dev.redisstarter.core.Durations;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.StarterThreads;
import dev.redisstarter.messaging.RetryBackoff;
import dev.redisstarter.messaging.stream.DeadLetters;
import dev.redisstarter.messaging.stream.RedisDeadLetters;
import dev.redisstarter.messaging.stream.RedisStreamPublisher;
import dev.redisstarter.messaging.stream.StreamInspector;
import dev.redisstarter.messaging.stream.StreamKeys;
import dev.redisstarter.messaging.stream.actuate.StreamsEndpoint;
import dev.redisstarter.messaging.stream.actuate.StreamsHealthIndicator;
import dev.redisstarter.messaging.stream.StreamListenerAnnotationBeanPostProcessor;
import dev.redisstarter.messaging.stream.StreamListeners;
import dev.redisstarter.messaging.stream.StreamMetrics;
import dev.redisstarter.messaging.stream.StreamPublisher;
import dev.redisstarter.messaging.stream.StreamSettings;
import dev.redisstarter.messaging.stream.StreamSettingsByName;

/**
 * Streams from {@code redis.starter.stream.*}: the {@link StreamPublisher}, {@link DeadLetters}, and a
 * consumer for every {@code @StreamListener} method. Off with {@code redis.starter.stream.enabled=false}
 * (or {@code redis.starter.messaging.enabled=false}).
 */
@AutoConfiguration(after = RedisStarterAutoConfiguration.class)
@ConditionalOnBean({ RedisAccess.class, KeyNaming.class })
@ConditionalOnEnabled({ "redis.starter.messaging.enabled", "redis.starter.stream.enabled" })
public final class RedisStarterStreamsAutoConfiguration {

	@Bean
	static StreamListenerAnnotationBeanPostProcessor redisStarterStreamListenerProcessor() {
		return new StreamListenerAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	StreamKeys redisStarterStreamKeys(KeyNaming keys) {
		return new StreamKeys(keys);
	}

	@Bean
	@ConditionalOnMissingBean
	StreamMetrics redisStarterStreamMetrics(ObjectProvider<MeterRegistry> meterRegistry, MessagingObservations observations) {
		// With observations on, each handling is timed by its observation, not twice.
		return new StreamMetrics(meterRegistry.getIfUnique(), !observations.enabled());
	}

	@Bean
	@ConditionalOnMissingBean
	StreamSettingsByName redisStarterStreamSettings(RedisStarterProperties properties,
			ObjectProvider<StreamSettingsCustomizer> customizers) {
		StreamsProperties streams = properties.getStream();
		StreamSettings defaults = defaults(streams.getDefaults());
		Map<String, StreamSettings> named = new LinkedHashMap<>();
		streams.getNamed()
			.forEach((name, stream) -> named.put(name,
					settings("redis.starter.stream.named." + name, stream, defaults)));
		return Customizers.apply(new StreamSettingsByName(defaults, named), customizers,
				StreamSettingsCustomizer::customize);
	}

	static StreamSettings defaults(StreamDefaultsProperties stream) {
		try {
			StreamDefaultsProperties.Backoff backoff = stream.getBackoff();
			return new StreamSettings(stream.getMaxLength(), stream.getMaxAge(), stream.getMaxDeliveries(),
					new RetryBackoff(backoff.getInitial(), backoff.getMultiplier(), backoff.getMax(), backoff.getJitter()),
					stream.getClaimIdle(), stream.getClaimInterval(), stream.getReadCount(), stream.getReadBlock(),
					stream.getDeadLetterMaxLength(), stream.getConsumerExpiry(), stream.getCircuit().settings());
		}
		catch (InvalidPropertyException ex) {
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPropertyException("redis.starter.stream.defaults", ex.getMessage());
		}
	}

	private static StreamSettings settings(String property, StreamsProperties.StreamProperties stream,
			StreamSettings base) {
		StreamsProperties.BackoffProperties backoff = stream.getBackoff();
		try {
			RetryBackoff retries = new RetryBackoff(or(backoff.getInitial(), base.backoff().initial()),
					or(backoff.getMultiplier(), base.backoff().multiplier()), or(backoff.getMax(), base.backoff().max()),
					or(backoff.getJitter(), base.backoff().jitter()));
			return new StreamSettings(or(stream.getMaxLength(), base.maxLength()),
					(stream.getMaxAge() != null) ? stream.getMaxAge() : base.maxAge(),
					or(stream.getMaxDeliveries(), base.maxDeliveries()), retries,
					or(stream.getClaimIdle(), base.claimIdle()), or(stream.getClaimInterval(), base.claimInterval()),
					or(stream.getReadCount(), base.readCount()), or(stream.getReadBlock(), base.readBlock()),
					or(stream.getDeadLetterMaxLength(), base.deadLetterMaxLength()),
					or(stream.getConsumerExpiry(), base.consumerExpiry()), stream.getCircuit().over(base.circuit()));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPropertyException(property, ex.getMessage());
		}
	}

	private static <T> T or(@Nullable T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	@Bean
	@ConditionalOnMissingBean(StreamPublisher.class)
	RedisStreamPublisher redisStarterStreamPublisher(RedisAccess access, RedisStarterProperties properties,
			StreamKeys keys, JsonCodec codec, StreamSettingsByName settings) {
		Duration timeout = properties.getStream().getTimeout();
		Durations.requirePositive("redis.starter.stream.timeout", timeout);
		return new RedisStreamPublisher(access.calls(Feature.STREAM, timeout), keys, codec, settings,
				properties.getStream().getMaxAsyncInFlight());
	}

	@Bean
	@ConditionalOnMissingBean(DeadLetters.class)
	RedisDeadLetters redisStarterDeadLetters(RedisAccess access, RedisStarterProperties properties, StreamKeys keys,
			StreamSettingsByName settings) {
		return new RedisDeadLetters(access.calls(Feature.STREAM, properties.getStream().getTimeout()),
				keys, settings);
	}

	@Bean
	@ConditionalOnMissingBean
	StreamListeners redisStarterStreamListeners(StreamListenerAnnotationBeanPostProcessor declarations,
			RedisAccess access, RedisStarterProperties properties, StreamKeys keys,
			ObjectProvider<JsonMapper> jsonMapper, StreamMetrics metrics, StreamSettingsByName settings,
			Environment environment, StarterThreads threads, MessagingObservations observations) {
		StreamsProperties streams = properties.getStream();
		Durations.requirePositive("redis.starter.stream.shutdown-wait", streams.getShutdownWait());
		Durations.requirePositive("redis.starter.stream.instance-expiry", streams.getInstanceExpiry());
		String group = (streams.getGroup() != null && !streams.getGroup().isBlank()) ? streams.getGroup()
				: environment.getProperty("spring.application.name", "default");
		StreamListeners.Context context = new StreamListeners.Context(access,
				access.calls(Feature.STREAM, streams.getTimeout()), keys,
				jsonMapper.getIfUnique(() -> JsonMapper.builder().build()), metrics, settings, group,
				streams.getConcurrency(), instanceId(streams), streams.getShutdownWait(), streams.getInstanceExpiry(),
				environment::resolvePlaceholders, threads, observations);
		return new StreamListeners(declarations, context);
	}

	/**
	 * With Actuator: {@code /actuator/streams} and the {@code streams} health component.
	 */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
			"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
	static class ActuatorConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StreamInspector redisStarterStreamInspector(RedisAccess access, RedisStarterProperties properties,
				StreamKeys keys) {
			return new StreamInspector(access.calls(Feature.STREAM, properties.getStream().getTimeout()),
					keys);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		StreamsEndpoint redisStarterStreamsEndpoint(StreamListeners listeners, StreamInspector inspector,
				DeadLetters deadLetters, RedisStarterProperties properties) {
			return new StreamsEndpoint(listeners, inspector, deadLetters,
					properties.getStream().getNamed().keySet());
		}

		@Bean
		@ConditionalOnMissingBean(name = "streamsHealthContributor")
		@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
		@ConditionalOnEnabledHealthIndicator("streams")
		StreamsHealthIndicator streamsHealthContributor(StreamListeners listeners) {
			return new StreamsHealthIndicator(listeners);
		}

	}

	static String instanceId(StreamsProperties streams) {
		if (streams.getInstanceId() != null && !streams.getInstanceId().isBlank()) {
			return streams.getInstanceId();
		}
		String host = System.getenv("HOSTNAME");
		if (host != null && !host.isBlank()) {
			return host;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			return "instance";
		}
	}

}
