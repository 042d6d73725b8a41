package dev.redisstarter.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;

/**
 * The pieces every capability shares: {@link KeyNaming} from {@code redis.starter.key-prefix} and a
 * {@link JsonCodec} on the application's {@link JsonMapper}. Active when Spring Boot has configured a
 * {@link RedisConnectionFactory} and {@code redis.starter.enabled} is not {@code false}; every bean gives way
 * to one of the application's own.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class,
		afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "redis.starter.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedisStarterProperties.class)
public final class RedisStarterAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KeyNaming redisStarterKeyNaming(RedisStarterProperties properties, Environment environment) {
		String prefix = properties.getKeyPrefix();
		if (prefix == null) {
			String applicationName = environment.getProperty("spring.application.name");
			prefix = (applicationName != null && !applicationName.isBlank()) ? applicationName.strip() + ":" : "";
			if (KeyNaming.prefixProblem(prefix) != null) {
				throw new IllegalArgumentException("The default redis.starter.key-prefix '" + prefix
						+ "' (from spring.application.name) " + KeyNaming.prefixProblem(prefix)
						+ ": set redis.starter.key-prefix explicitly");
			}
		}
		return new KeyNaming(prefix);
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

}
