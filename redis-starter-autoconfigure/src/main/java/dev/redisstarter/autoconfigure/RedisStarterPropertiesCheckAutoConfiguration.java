package dev.redisstarter.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Checks the names under {@code redis.starter} before any bean is created (see {@link UnknownPropertiesCheck}).
 * Without conditions, so that a misspelled switch ({@code redis.starter.enabeld=false}) is caught too.
 */
@AutoConfiguration
public final class RedisStarterPropertiesCheckAutoConfiguration {

	@Bean
	static UnknownPropertiesCheck redisStarterUnknownPropertiesCheck(ConfigurableEnvironment environment) {
		return new UnknownPropertiesCheck(environment);
	}

}
