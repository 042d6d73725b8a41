package dev.redisstarter.autoconfigure;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/**
 * When the application needs one of the starter's beans (a {@code SessionService}, a {@code JobQueue}, a
 * {@code StreamPublisher}, a {@code MessageBus}, ...) and there is none, explains why, before Spring Boot's general
 * "required a bean of type ... that could not be found": the property that switched the capability off, or else
 * what the capability's auto-configuration needs (a Lettuce {@code RedisConnectionFactory}) and how to bring it into
 * a context that does not load auto-configurations.
 */
class MissingStarterBeanFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException>
		implements Ordered {

	/**
	 * A capability: the packages of its beans, the properties that switch it off (outermost first) and the
	 * auto-configuration that creates its beans.
	 */
	private record Capability(String packageName, List<String> switches, Class<?> autoConfiguration) {

		boolean owns(String candidate) {
			return candidate.equals(this.packageName) || candidate.startsWith(this.packageName + ".");
		}

	}

	/** Every capability with beans an application injects; a longer package before a shorter one it contains. */
	private static final List<Capability> CAPABILITIES = List.of(
			new Capability("dev.redisstarter.cache", List.of("redis.starter.cache.enabled"),
					RedisStarterCacheAutoConfiguration.class),
			new Capability("dev.redisstarter.session", List.of("redis.starter.session.enabled"),
					RedisStarterSessionAutoConfiguration.class),
			new Capability("dev.redisstarter.lock", List.of("redis.starter.lock.enabled"),
					RedisStarterLockAutoConfiguration.class),
			new Capability("dev.redisstarter.ratelimit", List.of("redis.starter.ratelimit.enabled"),
					RedisStarterRateLimitAutoConfiguration.class),
			new Capability("dev.redisstarter.leaderboard", List.of("redis.starter.leaderboard.enabled"),
					RedisStarterLeaderboardAutoConfiguration.class),
			new Capability("dev.redisstarter.messaging.stream",
					List.of("redis.starter.messaging.enabled", "redis.starter.stream.enabled"),
					RedisStarterStreamsAutoConfiguration.class),
			new Capability("dev.redisstarter.messaging.queue", List.of("redis.starter.queue.enabled"),
					RedisStarterQueueAutoConfiguration.class),
			new Capability("dev.redisstarter.messaging.pubsub", List.of("redis.starter.messaging.enabled"),
					RedisStarterMessagingAutoConfiguration.class),
			new Capability("dev.redisstarter.core", List.of(), RedisStarterAutoConfiguration.class));

	private final Environment environment;

	MissingStarterBeanFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
		ResolvableType type = cause.getResolvableType();
		Class<?> missing = (type != null) ? type.resolve() : null;
		if (missing == null) {
			return null;
		}
		String packageName = missing.getPackageName();
		// Actuator endpoints have conditions of their own (exposure, access): Boot's report names them.
		if (packageName.endsWith(".actuate")) {
			return null;
		}
		Capability capability = CAPABILITIES.stream()
			.filter((candidate) -> candidate.owns(packageName))
			.findFirst()
			.orElse(null);
		if (capability == null) {
			return null;
		}
		String property = disabledBy(capability);
		if (property != null) {
			return new FailureAnalysis("A bean of type " + missing.getName() + " is needed, but the Redis Starter does"
					+ " not create it: " + property + " is false.",
					"Set " + property + " to true (or remove it), or define a bean of type " + missing.getSimpleName()
							+ " yourself.",
					cause);
		}
		String autoConfiguration = capability.autoConfiguration().getSimpleName();
		return new FailureAnalysis("A bean of type " + missing.getName() + " is needed, but the Redis Starter did not"
				+ " create it: " + autoConfiguration + " did not run or backed off, though no property switches it"
				+ " off.",
				"The starter creates " + missing.getSimpleName() + " in " + capability.autoConfiguration().getName()
						+ " once Spring Boot's Redis auto-configuration provides a single Lettuce RedisConnectionFactory"
						+ " (spring-boot-starter-data-redis, without Jedis). Check the conditions of "
						+ autoConfiguration + " and RedisStarterAutoConfiguration (run with --debug, or"
						+ " /actuator/conditions). In a test slice or a context without auto-configuration, add"
						+ " @ImportAutoConfiguration({RedisStarterAutoConfiguration.class, " + autoConfiguration
						+ ".class}) next to DataRedisAutoConfiguration, or define a bean of type "
						+ missing.getSimpleName() + " yourself.",
				cause);
	}

	private @Nullable String disabledBy(Capability capability) {
		if (isFalse("redis.starter.enabled")) {
			return "redis.starter.enabled";
		}
		return capability.switches().stream().filter(this::isFalse).findFirst().orElse(null);
	}

	private boolean isFalse(String property) {
		String value = this.environment.getProperty(property);
		return value != null && value.strip().toLowerCase(Locale.ROOT).equals("false");
	}

}
