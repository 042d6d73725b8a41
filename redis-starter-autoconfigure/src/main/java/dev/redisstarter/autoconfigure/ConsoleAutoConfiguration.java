package dev.redisstarter.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

import dev.redisstarter.console.CapabilityHealth;
import dev.redisstarter.console.ConsoleAccessFilter;
import dev.redisstarter.console.ConsoleApi;
import dev.redisstarter.console.ConsoleRoutes;
import dev.redisstarter.console.ConsoleSettings;
import dev.redisstarter.console.ConsoleViews;
import dev.redisstarter.core.Durations;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.health.RedisStarterHealthIndicator;
import dev.redisstarter.messaging.queue.JobDeadLetters;
import dev.redisstarter.messaging.queue.JobQueue;
import dev.redisstarter.messaging.queue.JobWorkers;
import dev.redisstarter.messaging.queue.UnhandledQueues;
import dev.redisstarter.messaging.queue.actuate.JobQueuesEndpoint;
import dev.redisstarter.messaging.queue.actuate.JobQueuesHealthIndicator;
import dev.redisstarter.messaging.stream.DeadLetters;
import dev.redisstarter.messaging.stream.StreamInspector;
import dev.redisstarter.messaging.stream.StreamListeners;
import dev.redisstarter.messaging.stream.actuate.StreamsEndpoint;
import dev.redisstarter.messaging.stream.actuate.StreamsHealthIndicator;

/**
 * The operations console ({@code redis.starter.console.enabled=true}, off by default) in a servlet web application
 * with Spring MVC and the Actuator: its page and JSON API under {@code redis.starter.console.path}, and the
 * {@link ConsoleAccessFilter} on that path, ordered after Spring Security's filter chain. The job queue and stream
 * views appear when those capabilities are on; they reuse the Actuator endpoints' logic, whether or not those
 * endpoints are exposed.
 */
@AutoConfiguration(after = { RedisStarterAutoConfiguration.class, RedisStarterHealthAutoConfiguration.class,
		RedisStarterQueueAutoConfiguration.class,
		RedisStarterStreamsAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(value = RouterFunction.class,
		name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean({ RedisAccess.class, KeyNaming.class })
@ConditionalOnEnabled(value = "redis.starter.console.enabled", matchIfMissing = false)
public final class ConsoleAutoConfiguration {

	/** Spring Security's filter chain order ({@code spring.security.filter.order} default); the console's runs after. */
	private static final int AFTER_SECURITY = -100 + 10;

	private static final String SECURITY_CLASS = "org.springframework.security.web.SecurityFilterChain";

	@Bean
	@ConditionalOnMissingBean
	ConsoleSettings redisStarterConsoleSettings(RedisStarterProperties properties) {
		ConsoleProperties console = properties.getConsole();
		try {
			return new ConsoleSettings(console.getPath(), console.isWriteEnabled(), console.getRole(),
					console.isAllowWithoutSecurity(), console.getSampleSize(), console.getSampleTimeBudget(),
					console.getSlowlogEntries(), console.getListSize(), console.getPayloadPreview());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidPropertyException("redis.starter.console", ex.getMessage());
		}
	}

	@Bean
	@ConditionalOnMissingBean
	ConsoleApi redisStarterConsoleApi(RedisAccess access, RedisStarterProperties properties, KeyNaming naming,
			ConsoleSettings settings, ObjectProvider<MeterRegistry> meterRegistry,
			ObjectProvider<JobQueuesEndpoint> jobQueuesEndpoint, ObjectProvider<JobQueue> jobs,
			ObjectProvider<JobDeadLetters> jobDeadLetters, ObjectProvider<JobWorkers> workers,
			ObjectProvider<UnhandledQueues> unhandled,
			ObjectProvider<StreamsEndpoint> streamsEndpoint, ObjectProvider<StreamListeners> listeners,
			ObjectProvider<StreamInspector> inspector, ObjectProvider<DeadLetters> deadLetters,
			ObjectProvider<CapabilityHealth> health) {
		RedisCalls calls = access.calls(Feature.CONSOLE,
				Durations.requirePositive("redis.starter.console.timeout", properties.getConsole().getTimeout()));
		ConsoleViews views = new ConsoleViews(access, calls, naming, settings, meterRegistry.getIfUnique());
		CapabilityHealth statuses = health.getIfUnique();
		if (statuses != null) {
			views = views.withHealth(statuses);
		}
		JobQueue queue = jobs.getIfUnique();
		JobDeadLetters queueDeadLetters = jobDeadLetters.getIfUnique();
		if (queue != null && queueDeadLetters != null) {
			JobQueuesEndpoint endpoint = jobQueuesEndpoint.getIfUnique(() -> {
				JobWorkers jobWorkers = workers.getIfUnique();
				UnhandledQueues unhandledQueues = unhandled.getIfUnique();
				return (jobWorkers != null && unhandledQueues != null) ? new JobQueuesEndpoint(queue, queueDeadLetters,
						jobWorkers, configuredQueues(properties), unhandledQueues) : null;
			});
			if (endpoint != null) {
				views = views.withQueues(endpoint, queue, queueDeadLetters);
			}
		}
		DeadLetters streamDeadLetters = deadLetters.getIfUnique();
		if (streamDeadLetters != null) {
			StreamsEndpoint endpoint = streamsEndpoint.getIfUnique(() -> {
				StreamListeners streamListeners = listeners.getIfUnique();
				StreamInspector streamInspector = inspector.getIfUnique();
				return (streamListeners != null && streamInspector != null) ? new StreamsEndpoint(streamListeners,
						streamInspector, streamDeadLetters, properties.getStream().getNamed().keySet()) : null;
			});
			if (endpoint != null) {
				views = views.withStreams(endpoint, streamDeadLetters);
			}
		}
		return views.api();
	}

	@Bean
	RouterFunction<ServerResponse> redisStarterConsoleRoutes(ConsoleSettings settings, ConsoleApi api) {
		return ConsoleRoutes.of(settings, api, accessFilter(settings));
	}

	@Bean
	FilterRegistrationBean<ConsoleAccessFilter> redisStarterConsoleAccessFilter(ConsoleSettings settings) {
		ConsoleAccessFilter filter = accessFilter(settings);
		FilterRegistrationBean<ConsoleAccessFilter> registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns(settings.path() + "*");
		registration.setOrder(AFTER_SECURITY);
		registration.setName("redisStarterConsoleAccessFilter");
		return registration;
	}

	/**
	 * With Spring Boot's health module: the status of the starter's health components in the overview.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CapabilityHealth redisStarterConsoleHealth(ObjectProvider<RedisStarterHealthIndicator> redis,
				ObjectProvider<JobQueuesHealthIndicator> jobQueues, ObjectProvider<StreamsHealthIndicator> streams) {
			Map<String, HealthIndicator> components = new LinkedHashMap<>();
			redis.ifUnique((indicator) -> components.put("redis", indicator));
			jobQueues.ifUnique((indicator) -> components.put("jobqueues", indicator));
			streams.ifUnique((indicator) -> components.put("streams", indicator));
			return () -> {
				Map<String, String> statuses = new LinkedHashMap<>();
				components.forEach((name, indicator) -> statuses.put(name, indicator.health(false).getStatus().getCode()));
				return statuses;
			};
		}

	}

	private static ConsoleAccessFilter accessFilter(ConsoleSettings settings) {
		boolean security = ClassUtils.isPresent(SECURITY_CLASS, ConsoleAutoConfiguration.class.getClassLoader());
		return new ConsoleAccessFilter(ConsoleAccessFilter.Access.of(security, settings.allowWithoutSecurity()),
				settings.role());
	}

	/** The queues {@code /actuator/jobqueues} lists besides those handled here: named ones and schedules' queues. */
	private static Set<String> configuredQueues(RedisStarterProperties properties) {
		Set<String> configured = new TreeSet<>(properties.getQueue().getNamed().keySet());
		properties.getQueue()
			.getSchedules()
			.values()
			.stream()
			.map(QueueScheduleProperties::getQueue)
			.filter((queue) -> queue != null && !queue.isBlank())
			.forEach(configured::add);
		return configured;
	}

}
