package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.messaging.observation.JobHandlingObservationConvention;
import dev.redisstarter.messaging.observation.EnqueueObservationConvention;
import dev.redisstarter.messaging.observation.StreamHandlingObservationConvention;
import dev.redisstarter.messaging.observation.ListenerObservationConvention;
import dev.redisstarter.messaging.observation.PublishObservationConvention;
import dev.redisstarter.messaging.observation.MessagingObservations;
import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.core.ServerCheck;
import dev.redisstarter.core.ServerCheckFailedException;
import dev.redisstarter.core.StarterRuntimeHints;
import dev.redisstarter.core.StarterThreads;
import dev.redisstarter.core.web.InputLimitExceptionHandler;
import dev.redisstarter.core.web.RedisUnavailableExceptionHandler;
import dev.redisstarter.messaging.web.MessagingExceptionHandler;

/**
 * The pieces every capability shares: {@link KeyNaming} from {@code redis.starter.key-prefix} and a
 * {@link JsonCodec} on the application's {@link JsonMapper}. Active when Spring Boot has configured a
 * {@link RedisConnectionFactory} on Lettuce (with Jedis the starter backs off, as the condition report says)
 * and {@code redis.starter.enabled} is not {@code false}; every bean gives way to one of the application's own.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class,
		afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@ConditionalOnBean(LettuceConnectionFactory.class)
@ConditionalOnEnabled("redis.starter.enabled")
@EnableConfigurationProperties(RedisStarterProperties.class)
@ImportRuntimeHints(StarterRuntimeHints.class)
public final class RedisStarterAutoConfiguration {

	/** How long start-up waits for the server checks in fail mode; an unreachable Redis does not delay it more. */
	private static final Duration STARTUP_CHECK_WAIT = Duration.ofSeconds(2);

	@Bean
	@ConditionalOnMissingBean
	KeyNaming redisStarterKeyNaming(RedisStarterProperties properties, Environment environment) {
		String prefix = properties.getKeyPrefix();
		if (prefix == null) {
			String applicationName = environment.getProperty("spring.application.name");
			prefix = (applicationName != null && !applicationName.isBlank()) ? applicationName.strip() + ":" : "";
			if (KeyNaming.prefixProblem(prefix) != null) {
				throw new InvalidPropertyException("redis.starter.key-prefix", "its default '" + prefix
						+ "' (from spring.application.name) " + KeyNaming.prefixProblem(prefix)
						+ ": set redis.starter.key-prefix explicitly");
			}
		}
		return new KeyNaming(prefix, properties.getMaxKeyPartLength());
	}

	@Bean
	@ConditionalOnMissingBean
	DecodeFailureReporter redisStarterDecodeFailureReporter(ObjectProvider<MeterRegistry> meterRegistry) {
		return new DecodeFailureReporter(meterRegistry.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	JsonCodec redisStarterJsonCodec(ObjectProvider<JsonMapper> jsonMapper, DecodeFailureReporter failures) {
		JsonMapper mapper = jsonMapper.getIfUnique(() -> JsonMapper.builder().build());
		return new JsonCodec(mapper, failures);
	}

	/**
	 * The starter's own connection, circuit breaker and deadlines, shared by every capability. Connects in the
	 * background, so the application starts without Redis.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	RedisAccess redisStarterAccess(RedisConnectionFactory connectionFactory, RedisStarterProperties properties,
			ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<ServerCheck> serverCheck, KeyNaming keys,
			Environment environment) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalStateException("The Redis Starter needs Lettuce, Spring Boot's default Redis client, but the"
					+ " RedisConnectionFactory is a " + connectionFactory.getClass().getName()
					+ ": remove the Jedis dependency, or set redis.starter.enabled=false");
		}
		ResilienceProperties resilience = properties.getResilience();
		RedisAccess access = new RedisAccess(lettuce,
				new ResilienceSettings(resilience.getFailureThreshold(), resilience.getOpenDuration(),
						resilience.getProbeTimeout(), resilience.getLivenessInterval(), resilience.getLivenessTimeout()),
				meterRegistry.getIfUnique(), keys.prefix());
		UrlCredentialsCheck.warnIfIgnored(environment);
		serverCheck.ifAvailable((check) -> access.onConnect(check::run));
		return access.start();
	}

	/**
	 * The application's own commands under the starter's deadline ({@code redis.starter.application.timeout}) and
	 * circuit: a frozen or unreachable Redis fails them within the deadline, never after the client's 60 s.
	 */
	@Bean
	@ConditionalOnMissingBean
	RedisCalls redisStarterApplicationCalls(RedisAccess access, RedisStarterProperties properties) {
		return access.calls(Feature.APPLICATION, properties.getApplication().getTimeout());
	}

	/**
	 * The starter's threads: handlers on virtual threads when {@code spring.threads.virtual.enabled} is on (Java
	 * 21+), every handler call through the application's {@link TaskDecorator} when it declares exactly one.
	 */
	/**
	 * The messaging observations: on the application's {@link ObservationRegistry} when it has one, named and tagged
	 * by its {@code ...ObservationConvention} beans where it declares them.
	 */
	@Bean
	@ConditionalOnMissingBean
	MessagingObservations redisStarterMessagingObservations(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<PublishObservationConvention> publish, ObjectProvider<ListenerObservationConvention> listener,
			ObjectProvider<StreamHandlingObservationConvention> streamHandling,
			ObjectProvider<EnqueueObservationConvention> enqueue,
			ObjectProvider<JobHandlingObservationConvention> jobHandling) {
		return new MessagingObservations(registry.getIfUnique(() -> ObservationRegistry.NOOP),
				new MessagingObservations.Conventions(publish.getIfUnique(), listener.getIfUnique(),
						streamHandling.getIfUnique(), enqueue.getIfUnique(), jobHandling.getIfUnique()));
	}

	@Bean
	@ConditionalOnMissingBean
	StarterThreads redisStarterThreads(Environment environment, ObjectProvider<TaskDecorator> taskDecorator) {
		return new StarterThreads(Threading.VIRTUAL.isActive(environment), taskDecorator.getIfUnique());
	}

	@Bean
	RedisAccessLifecycle redisStarterAccessLifecycle(RedisAccess access, RedisStarterProperties properties) {
		return new RedisAccessLifecycle(access, access.connectionFactory(),
				properties.getResilience().getStartupWait());
	}

	@Bean
	@ConditionalOnMissingBean
	ServerCheck redisStarterServerCheck(RedisStarterProperties properties) {
		List<String> kept = new ArrayList<>();
		if (properties.getLock().isEnabled()) {
			kept.add("locks");
		}
		if (properties.getSession().isEnabled()) {
			kept.add("sessions");
		}
		if (properties.getRatelimit().isEnabled()) {
			kept.add("rate limits");
		}
		return new ServerCheck(properties.getResilience().getEvictionPolicyCheck(), kept);
	}

	/** With {@code eviction-policy-check: fail}, refuses to start when a reachable server fails the checks. */
	@Bean
	static SmartInitializingSingleton redisStarterServerCheckAtStartup(ObjectProvider<ServerCheck> serverCheck,
			ObjectProvider<RedisAccess> access) {
		return () -> {
			ServerCheck check = serverCheck.getIfUnique();
			if (check == null || check.mode() != ServerCheck.Mode.FAIL || access.getIfUnique() == null) {
				return;
			}
			ServerCheck.Result result = check.awaitFirst(STARTUP_CHECK_WAIT.toMillis());
			if (result != null && !result.ok()) {
				throw new ServerCheckFailedException(result.problems());
			}
		};
	}

	/**
	 * In a servlet web application, the 503 fallback for Redis connection failures and timeouts that no other
	 * handler answers, the 413 answer for data over the starter's bounds, and the 503 answers of pub/sub, streams
	 * and the job queue (one handler for the three, registered here since each can be switched off alone).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ HttpServletRequest.class, RestControllerAdvice.class })
	static class WebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RedisUnavailableExceptionHandler redisStarterRedisUnavailableExceptionHandler() {
			return new RedisUnavailableExceptionHandler();
		}

		@Bean
		@ConditionalOnMissingBean
		InputLimitExceptionHandler redisStarterInputLimitExceptionHandler() {
			return new InputLimitExceptionHandler();
		}

		@Bean
		@ConditionalOnMissingBean
		MessagingExceptionHandler redisStarterMessagingExceptionHandler() {
			return new MessagingExceptionHandler();
		}

	}

}
