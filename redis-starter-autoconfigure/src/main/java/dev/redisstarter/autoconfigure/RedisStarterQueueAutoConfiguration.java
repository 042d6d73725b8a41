package dev.redisstarter.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import dev.redisstarter.messaging.queue.JobDeadLetters;
import dev.redisstarter.messaging.queue.JobHandlerAnnotationBeanPostProcessor;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.JobScheduleAnnotationBeanPostProcessor;
import dev.redisstarter.messaging.queue.JobScheduleDefinition;
import dev.redisstarter.messaging.queue.JobSchedules;
import dev.redisstarter.messaging.queue.JobWorkers;
import dev.redisstarter.messaging.queue.QueueKeys;
import dev.redisstarter.messaging.queue.QueueMetrics;
import dev.redisstarter.messaging.queue.QueueSettings;
import dev.redisstarter.messaging.queue.QueueSettingsByName;
import dev.redisstarter.messaging.queue.RedisJobDeadLetters;
import dev.redisstarter.messaging.queue.RedisJobQueue;
import dev.redisstarter.messaging.queue.UnhandledQueues;
import dev.redisstarter.messaging.queue.actuate.JobQueuesEndpoint;
import dev.redisstarter.messaging.queue.actuate.JobQueuesHealthIndicator;

/**
 * Job queues from {@code redis.starter.queue.*}: the {@link JobQueue}, {@link JobDeadLetters}, and a worker for
 * every {@code @JobHandler} method. Off with {@code redis.starter.queue.enabled=false}.
 */
@AutoConfiguration(after = { RedisStarterAutoConfiguration.class, RedisStarterRateLimitAutoConfiguration.class })
@ConditionalOnBean({ RedisAccess.class, KeyNaming.class })
@ConditionalOnEnabled("redis.starter.queue.enabled")
public final class RedisStarterQueueAutoConfiguration {

	@Bean
	static JobHandlerAnnotationBeanPostProcessor redisStarterJobHandlerProcessor() {
		return new JobHandlerAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	QueueKeys redisStarterQueueKeys(KeyNaming keys) {
		return new QueueKeys(keys);
	}

	@Bean
	@ConditionalOnMissingBean
	QueueMetrics redisStarterQueueMetrics(ObjectProvider<MeterRegistry> meterRegistry, MessagingObservations observations) {
		// With observations on, each handling is timed by its observation, not twice.
		return new QueueMetrics(meterRegistry.getIfUnique(), !observations.enabled());
	}

	@Bean
	@ConditionalOnMissingBean
	QueueSettingsByName redisStarterQueueSettings(RedisStarterProperties properties,
			ObjectProvider<QueueSettingsCustomizer> customizers) {
		QueueProperties queues = properties.getQueue();
		QueueSettings defaults = defaults(queues.getDefaults());
		Map<String, QueueSettings> named = new LinkedHashMap<>();
		queues.getNamed().forEach((name, queue) -> {
			try {
				QueueKeys.requireName(name);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidPropertyException("redis.starter.queue.named." + name, ex.getMessage());
			}
			named.put(name, settings("redis.starter.queue.named." + name, queue, defaults));
		});
		return Customizers.apply(new QueueSettingsByName(defaults, named), customizers,
				QueueSettingsCustomizer::customize);
	}

	static QueueSettings defaults(QueueDefaultsProperties queue) {
		try {
			QueueDefaultsProperties.Backoff backoff = queue.getBackoff();
			return new QueueSettings(queue.getConcurrency(), queue.getAttempts(),
					new RetryBackoff(backoff.getInitial(), backoff.getMultiplier(), backoff.getMax(), backoff.getJitter()),
					queue.getAttemptTimeout(), queue.getLease(), queue.getStalledInterval(), queue.getMaxStalled(),
					queue.getCompleted().getMaxCount(), queue.getCompleted().getMaxAge(), queue.getDead().getMaxCount(),
					queue.getDead().getMaxAge(), queue.getRateLimit().getLimit(), queue.getRateLimit().getWindow(),
					queue.getIdleWait(), queue.getPrefetch(), queue.getCircuit().settings());
		}
		catch (InvalidPropertyException ex) {
			throw ex;
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPropertyException("redis.starter.queue.defaults", ex.getMessage());
		}
	}

	private static QueueSettings settings(String property, QueueProperties.Settings queue, QueueSettings base) {
		try {
			QueueProperties.BackoffProperties backoff = queue.getBackoff();
			RetryBackoff retries = new RetryBackoff(or(backoff.getInitial(), base.backoff().initial()),
					or(backoff.getMultiplier(), base.backoff().multiplier()), or(backoff.getMax(), base.backoff().max()),
					or(backoff.getJitter(), base.backoff().jitter()));
			return new QueueSettings(or(queue.getConcurrency(), base.concurrency()),
					or(queue.getAttempts(), base.attempts()), retries,
					(queue.getAttemptTimeout() != null) ? queue.getAttemptTimeout() : base.attemptTimeout(),
					or(queue.getLease(), base.lease()), or(queue.getStalledInterval(), base.stalledInterval()),
					or(queue.getMaxStalled(), base.maxStalled()),
					or(queue.getCompleted().getMaxCount(), base.completedMaxCount()),
					or(queue.getCompleted().getMaxAge(), base.completedMaxAge()),
					or(queue.getDead().getMaxCount(), base.deadMaxCount()),
					or(queue.getDead().getMaxAge(), base.deadMaxAge()),
					or(queue.getRateLimit().getLimit(), base.rateLimit()),
					or(queue.getRateLimit().getWindow(), base.rateLimitWindow()), or(queue.getIdleWait(), base.idleWait()),
					or(queue.getPrefetch(), base.prefetch()),
					queue.getCircuit().over(base.circuit()));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPropertyException(property, ex.getMessage());
		}
	}

	private static <T> T or(@Nullable T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	@Bean
	@ConditionalOnMissingBean
	UnhandledQueues redisStarterUnhandledQueues(RedisAccess access, RedisStarterProperties properties, QueueKeys keys,
			QueueMetrics metrics, QueueSettingsByName settings) {
		// A worker checks in at each stalled check: a queue whose workers check in less often than this would be
		// reported unhandled while they run.
		java.time.Duration after = properties.getQueue().getUnhandledAfter();
		Map<String, QueueSettings> every = new LinkedHashMap<>(settings.named());
		every.put("(the defaults)", settings.defaults());
		every.forEach((queue, queueSettings) -> {
			if (queueSettings.stalledInterval().compareTo(after) >= 0) {
				throw new InvalidPropertyException("redis.starter.queue.unhandled-after", after,
						"more than every queue's stalled-interval (workers check in at each stalled check): "
								+ queue + " has " + queueSettings.stalledInterval());
			}
		});
		return new UnhandledQueues(access.calls(Feature.QUEUE, timeout(properties)), keys, metrics,
				properties.getQueue().getUnhandledAfter());
	}

	@Bean
	@ConditionalOnMissingBean(JobQueue.class)
	RedisJobQueue redisStarterJobQueue(RedisAccess access, RedisStarterProperties properties, QueueKeys keys,
			JsonCodec codec, ObjectProvider<JsonMapper> jsonMapper, QueueSettingsByName settings, QueueMetrics metrics,
			MessagingObservations observations, UnhandledQueues unhandled) {
		return new RedisJobQueue(access.calls(Feature.QUEUE, timeout(properties)), keys, codec, mapper(jsonMapper),
				settings, metrics, observations, maxPayloadBytes(properties),
				unhandled, properties.getQueue().getMaxAsyncInFlight());
	}

	@Bean
	@ConditionalOnMissingBean(JobDeadLetters.class)
	RedisJobDeadLetters redisStarterJobDeadLetters(RedisAccess access, RedisStarterProperties properties,
			QueueKeys keys, ObjectProvider<JsonMapper> jsonMapper) {
		return new RedisJobDeadLetters(access.calls(Feature.QUEUE, timeout(properties)), keys, mapper(jsonMapper));
	}

	@Bean
	@ConditionalOnMissingBean
	JobWorkers redisStarterJobWorkers(JobHandlerAnnotationBeanPostProcessor declarations, RedisAccess access,
			RedisStarterProperties properties, QueueKeys keys, ObjectProvider<JsonMapper> jsonMapper, JsonCodec codec,
			QueueMetrics metrics, MessagingObservations observations, QueueSettingsByName settings,
			Environment environment, StarterThreads threads) {
		Duration shutdownWait = properties.getQueue().getShutdownWait();
		Durations.requirePositive("redis.starter.queue.shutdown-wait", shutdownWait);
		return JobWorkers.create(declarations, access, access.calls(Feature.QUEUE, timeout(properties)), keys,
				mapper(jsonMapper), codec, metrics, observations, settings,
				shutdownWait, environment::resolvePlaceholders, threads);
	}

	@Bean
	static JobScheduleAnnotationBeanPostProcessor redisStarterJobScheduleProcessor() {
		return new JobScheduleAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	JobSchedules redisStarterJobSchedules(JobScheduleAnnotationBeanPostProcessor annotated,
			JobHandlerAnnotationBeanPostProcessor handlers, RedisAccess access, RedisStarterProperties properties,
			QueueKeys keys, QueueSettingsByName settings, QueueMetrics metrics,
			ObjectProvider<MeterRegistry> meterRegistry, Environment environment,
			ObjectProvider<UnhandledQueues> unhandled) {
		List<JobScheduleDefinition> configured = new ArrayList<>();
		properties.getQueue().getSchedules().forEach((name, schedule) -> {
			try {
				JobScheduleDefinition definition = new JobScheduleDefinition(name, schedule.getQueue(),
						schedule.getCron(), schedule.getFixedRate(), schedule.getZone(), schedule.getPayload(),
						schedule.getMissed());
				if (schedule.isEnabled()) {
					configured.add(definition);
				}
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidPropertyException("redis.starter.queue.schedules." + name, ex.getMessage());
			}
		});
		return new JobSchedules(annotated, handlers, configured, access.calls(Feature.QUEUE, timeout(properties)), keys,
				settings, metrics, meterRegistry.getIfUnique(), environment::resolvePlaceholders, Clock.systemUTC(),
				unhandled.getIfAvailable());
	}

	/**
	 * With Actuator: {@code /actuator/jobqueues} and the {@code jobqueues} health component.
	 */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
			"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
	static class ActuatorConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint
		JobQueuesEndpoint redisStarterJobQueuesEndpoint(JobQueue jobs, JobDeadLetters deadLetters, JobWorkers workers,
				RedisStarterProperties properties, UnhandledQueues unhandled) {
			// Queues configured by name, and those YAML schedules enqueue into (annotated ones have a handler here).
			java.util.Set<String> configured = new java.util.TreeSet<>(properties.getQueue().getNamed().keySet());
			properties.getQueue()
				.getSchedules()
				.values()
				.stream()
				.map(QueueScheduleProperties::getQueue)
				.filter((queue) -> queue != null && !queue.isBlank())
				.forEach(configured::add);
			return new JobQueuesEndpoint(jobs, deadLetters, workers, configured, unhandled);
		}

		@Bean
		@ConditionalOnMissingBean(name = "jobqueuesHealthContributor")
		@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
		@ConditionalOnEnabledHealthIndicator("jobqueues")
		JobQueuesHealthIndicator jobqueuesHealthContributor(JobWorkers workers, UnhandledQueues unhandled) {
			return new JobQueuesHealthIndicator(workers, unhandled);
		}

	}

	private static long maxPayloadBytes(RedisStarterProperties properties) {
		long bytes = properties.getQueue().getMaxPayloadSize().toBytes();
		if (bytes < 1) {
			throw new InvalidPropertyException("redis.starter.queue.max-payload-size",
					properties.getQueue().getMaxPayloadSize(), "a positive size");
		}
		return bytes;
	}

	private static Duration timeout(RedisStarterProperties properties) {
		return Durations.requirePositive("redis.starter.queue.timeout", properties.getQueue().getTimeout());
	}

	private static JsonMapper mapper(ObjectProvider<JsonMapper> jsonMapper) {
		return jsonMapper.getIfUnique(() -> JsonMapper.builder().build());
	}

}
