package dev.redisstarter.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.lock.DistributedLock;
import dev.redisstarter.lock.DistributedReadWriteLock;
import dev.redisstarter.lock.DistributedSemaphore;
import dev.redisstarter.lock.LockMetrics;
import dev.redisstarter.lock.LockSettings;
import dev.redisstarter.lock.RedisDistributedLock;
import dev.redisstarter.lock.RedisReadWriteLock;
import dev.redisstarter.lock.RedisSemaphore;
import dev.redisstarter.lock.SharedLockAdvisor;
import dev.redisstarter.lock.SharedLockInterceptor;
import dev.redisstarter.lock.SharedLockMethods;
import dev.redisstarter.lock.WithLockAdvisor;
import dev.redisstarter.lock.WithLockInterceptor;
import dev.redisstarter.lock.WithLockMethods;
import dev.redisstarter.lock.web.LockExceptionHandler;

/**
 * Distributed locks, read/write locks and semaphores from {@code redis.starter.lock.*}, and {@code @WithLock},
 * {@code @WithReadLock}, {@code @WithWriteLock} and {@code @WithPermit} through advisors. Off with
 * {@code redis.starter.lock.enabled=false}; the {@link RedisDistributedLock} gives way to an application's own.
 */
@AutoConfiguration(after = RedisStarterAutoConfiguration.class)
@ConditionalOnBean(KeyNaming.class)
@ConditionalOnEnabled("redis.starter.lock.enabled")
public final class RedisStarterLockAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LockMetrics redisStarterLockMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
		return new LockMetrics(meterRegistry.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	LockSettings redisStarterLockSettings(RedisStarterProperties properties,
			ObjectProvider<LockSettingsCustomizer> customizers) {
		LockProperties lock = properties.getLock();
		return Customizers.apply(new LockSettings(lock.getDefaultLease(), lock.getDefaultWait(), lock.isRenewal(),
				lock.getPollInterval(), lock.getMaxRenewal()), customizers, LockSettingsCustomizer::customize);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(DistributedLock.class)
	RedisDistributedLock redisStarterDistributedLock(RedisAccess access, RedisStarterProperties properties,
			KeyNaming keys, LockSettings settings, LockMetrics metrics) {
		return new RedisDistributedLock(access.calls(Feature.LOCK, properties.getLock().getTimeout()), keys, settings, metrics);
	}

	/** Static and lazy in its dependencies, so that creating the advisor early creates no Redis beans. */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static WithLockAdvisor redisStarterWithLockAdvisor(ObjectProvider<DistributedLock> lock,
			ObjectProvider<LockSettings> settings, Environment environment) {
		WithLockMethods methods = new WithLockMethods();
		WithLockAdvisor advisor = new WithLockAdvisor(methods, new WithLockInterceptor(methods, lock, settings));
		advisor.setOrder(
				environment.getProperty("redis.starter.lock.advisor-order", Integer.class, WithLockAdvisor.DEFAULT_ORDER));
		return advisor;
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(DistributedReadWriteLock.class)
	RedisReadWriteLock redisStarterReadWriteLock(RedisAccess access, RedisStarterProperties properties, KeyNaming keys,
			LockSettings settings, LockMetrics metrics) {
		return new RedisReadWriteLock(access.calls(Feature.LOCK, properties.getLock().getTimeout()), keys, settings,
				metrics);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(DistributedSemaphore.class)
	RedisSemaphore redisStarterSemaphore(RedisAccess access, RedisStarterProperties properties, KeyNaming keys,
			LockSettings settings, LockMetrics metrics) {
		return new RedisSemaphore(access.calls(Feature.LOCK, properties.getLock().getTimeout()), keys, settings,
				properties.getLock().getDefaultPermits(), metrics);
	}

	/**
	 * {@code @WithReadLock}, {@code @WithWriteLock} and {@code @WithPermit}, at the order of {@code @WithLock}. Static
	 * and lazy in its dependencies, so that creating the advisor early creates no Redis beans.
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static SharedLockAdvisor redisStarterSharedLockAdvisor(ObjectProvider<DistributedReadWriteLock> readWriteLock,
			ObjectProvider<DistributedSemaphore> semaphore, ObjectProvider<LockSettings> settings,
			ObjectProvider<RedisStarterProperties> properties, Environment environment) {
		// From the environment, not the properties bean, which the advisor must not create early; bound the same way.
		int defaultPermits = Binder.get(environment)
			.bind("redis.starter.lock.default-permits", Integer.class)
			.orElse(RedisSemaphore.DEFAULT_PERMITS);
		SharedLockMethods methods = new SharedLockMethods(() -> defaultPermits);
		SharedLockAdvisor advisor = new SharedLockAdvisor(methods, new SharedLockInterceptor(methods, readWriteLock,
				semaphore, settings, () -> properties.getObject().getLock().getDefaultPermits()));
		advisor.setOrder(
				environment.getProperty("redis.starter.lock.advisor-order", Integer.class, WithLockAdvisor.DEFAULT_ORDER));
		return advisor;
	}

	/**
	 * In a servlet web application, 409 and 503 answers for lock failures.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ HttpServletRequest.class, RestControllerAdvice.class })
	static class WebConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LockExceptionHandler redisStarterLockExceptionHandler() {
			return new LockExceptionHandler();
		}

	}

}
