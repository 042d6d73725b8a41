package dev.redisstarter.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.redisstarter.core.KeyNaming;

/**
 * Configuration of the Redis Starter, under {@code redis.starter}. Connection settings stay Spring Boot's
 * own {@code spring.data.redis.*}. Each value is checked as it is bound, so a bad one stops the application
 * with a message that names the property.
 */
@ConfigurationProperties("redis.starter")
public class RedisStarterProperties {

	/**
	 * Whether the starter's auto-configuration is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Prefix of every key the starter writes. Defaults to the value of 'spring.application.name' followed
	 * by ':', or to no prefix when no application name is set. Must not contain '{', '}' or whitespace.
	 */
	private @Nullable String keyPrefix;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(@Nullable String keyPrefix) {
		if (keyPrefix != null) {
			String problem = KeyNaming.prefixProblem(keyPrefix);
			if (problem != null) {
				throw new IllegalArgumentException("redis.starter.key-prefix " + problem);
			}
		}
		this.keyPrefix = keyPrefix;
	}

}
