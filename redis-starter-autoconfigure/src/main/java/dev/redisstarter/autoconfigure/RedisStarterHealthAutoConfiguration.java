package dev.redisstarter.autoconfigure;


import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ServerCheck;
import dev.redisstarter.core.health.RedisStarterHealthIndicator;

/**
 * Replaces Spring Boot's Redis health indicator (which waits out {@code spring.data.redis.timeout}, 60 s by
 * default, when Redis is frozen) with the starter's: DOWN at once while the circuit is open, a {@code PING}
 * bounded by one second otherwise, with the circuit and the server checks in its details. It keeps Boot's bean
 * name, {@code redisHealthContributor}, so the component is still {@code redis}, and gives way to an
 * application's own bean of either of Boot's names.
 */
@AutoConfiguration(after = RedisStarterAutoConfiguration.class,
		beforeName = { "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration" })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(RedisAccess.class)
public final class RedisStarterHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "redisHealthIndicator", "redisHealthContributor" })
	@ConditionalOnEnabledHealthIndicator("redis")
	RedisStarterHealthIndicator redisHealthContributor(RedisAccess access, ObjectProvider<ServerCheck> serverCheck) {
		// The probe's timeout: a Redis the circuit takes for reachable is not reported DOWN by a shorter PING.
		return new RedisStarterHealthIndicator(access, serverCheck.getIfUnique(), access.settings().probeTimeout());
	}

}
