package dev.redisstarter.sample;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when no Redis connection is configured: none of {@code spring.data.redis.url}, {@code .host},
 * {@code .cluster.nodes} or {@code .sentinel.master} is set ({@code REDIS_URL} arrives as
 * {@code spring.data.redis.url}, see {@link RedisUrlEnvironmentPostProcessor}).
 */
class NoRedisConfiguredCondition implements Condition {

	private static final String[] CONNECTION_PROPERTIES = { "spring.data.redis.url", "spring.data.redis.host",
			"spring.data.redis.cluster.nodes", "spring.data.redis.sentinel.master" };

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		for (String property : CONNECTION_PROPERTIES) {
			if (environment.containsProperty(property)) {
				return false;
			}
		}
		return true;
	}

}
