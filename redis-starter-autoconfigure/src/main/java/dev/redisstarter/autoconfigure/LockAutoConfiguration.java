package dev.redisstarter.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.lock.LockMetrics;
import dev.redisstarter.lock.LockSettings;
import dev.redisstarter.lock.RedisDistributedLock;
import dev.redisstarter.lock.WithLockAdvisor;
import dev.redisstarter.lock.WithLockInterceptor;
import dev.redisstarter.lock.WithLockMethods;

/**
 * Distributed locks from {@code redis.starter.lock.*}, and {@code @WithLock} through an advisor. Off with
 * {@code redis.starter.lock.enabled=false}; the {@link RedisDistributedLock} gives way to an application's own.
 */
@AutoConfiguration(after = RedisStarterAutoConfiguration.class)
@ConditionalOnBean(KeyNaming.class)
@ConditionalOnBooleanProperty(name = "redis.starter.lock.enabled", matchIfMissing = true)
public final class LockAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LockMetrics redisStarterLockMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
		return new LockMetrics(meterRegistry.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	LockSettings redisStarterLockSettings(RedisStarterProperties properties) {
		LockProperties lock = properties.getLock();
		return new LockSettings(lock.getDefaultLease(), lock.getDefaultWait(), lock.isRenewal(), lock.getPollInterval());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(DistributedLock.class)
	RedisDistributedLock redisStarterDistributedLock(RedisConnectionFactory connectionFactory, KeyNaming keys,
			LockSettings settings, LockMetrics metrics) {
		return new RedisDistributedLock(connectionFactory, keys, settings, metrics);
	}

	/** Static and lazy in its dependencies, so that creating the advisor early creates no Redis beans. */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static WithLockAdvisor redisStarterWithLockAdvisor(ObjectProvider<DistributedLock> lock,
			ObjectProvider<LockSettings> settings) {
		WithLockMethods methods = new WithLockMethods();
		return new WithLockAdvisor(methods, new WithLockInterceptor(methods, lock, settings));
	}

}
