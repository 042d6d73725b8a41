package dev.redisstarter.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.redisstarter.cache.CacheAnnotationAdvisor;
import dev.redisstarter.cache.CacheAnnotationInterceptor;
import dev.redisstarter.cache.CacheAnnotationMethods;
import dev.redisstarter.cache.CacheService;
import dev.redisstarter.cache.CacheSettings;
import dev.redisstarter.cache.RedisCacheService;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;

/**
 * A {@link CacheService} from {@code redis.starter.cache.*}, and {@code @TaggedCacheable}/{@code @EvictTags}
 * through an advisor. Off with {@code redis.starter.cache.enabled=false};
 * gives way to an application's own.
 */
@AutoConfiguration(after = RedisStarterAutoConfiguration.class)
@ConditionalOnBean(KeyNaming.class)
@ConditionalOnBooleanProperty(name = "redis.starter.cache.enabled", matchIfMissing = true)
public final class CacheAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CacheSettings redisStarterCacheSettings(RedisStarterProperties properties) {
		CacheProperties cache = properties.getCache();
		return new CacheSettings(cache.getNullTtl(), cache.getTtlJitter(), cache.getLoadTimeout(), cache.getWaitTimeout(),
				CacheSettings.DEFAULTS.pollInterval(), cache.isFailOnRedisDown());
	}

	/** Static and lazy in its dependencies, so that creating the advisor early creates no Redis beans. */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static CacheAnnotationAdvisor redisStarterCacheAnnotationAdvisor(ObjectProvider<CacheService> cache) {
		CacheAnnotationMethods methods = new CacheAnnotationMethods();
		return new CacheAnnotationAdvisor(methods, new CacheAnnotationInterceptor(methods, cache));
	}

	@Bean
	@ConditionalOnMissingBean(CacheService.class)
	RedisCacheService redisStarterCacheService(RedisConnectionFactory connectionFactory, KeyNaming keys, JsonCodec codec,
			CacheSettings settings) {
		return new RedisCacheService(connectionFactory, keys, codec, settings);
	}

}
