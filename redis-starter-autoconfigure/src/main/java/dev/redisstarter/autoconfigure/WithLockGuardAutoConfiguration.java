package dev.redisstarter.autoconfigure;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.ReflectionUtils;

import dev.redisstarter.core.InvalidAnnotationException;
import dev.redisstarter.lock.SharedLockMethods;
import dev.redisstarter.lock.WithLock;
import dev.redisstarter.lock.WithLockAdvisor;

/**
 * Without the starter's {@code @WithLock} advisor (locks switched off by {@code redis.starter.lock.enabled=false}
 * or {@code redis.starter.enabled=false}, or the starter backed off: no Lettuce {@code RedisConnectionFactory}), a
 * {@code @WithLock} method (or {@code @WithReadLock}, {@code @WithWriteLock}, {@code @WithPermit}) would run without
 * its lock, silently. This stops
 * start-up at the first such method instead, unless {@code redis.starter.lock.run-unlocked-when-disabled=true},
 * which runs them without a lock and says so at WARN, once per method.
 */
@AutoConfiguration(after = RedisStarterLockAutoConfiguration.class)
@ConditionalOnMissingBean(WithLockAdvisor.class)
public final class WithLockGuardAutoConfiguration {

	private static final Log logger = LogFactory.getLog(WithLockGuardAutoConfiguration.class);

	@Bean
	static BeanPostProcessor redisStarterWithLockGuard(Environment environment) {
		boolean runUnlocked = environment.getProperty("redis.starter.lock.run-unlocked-when-disabled", Boolean.class,
				false);
		Set<Method> warned = ConcurrentHashMap.newKeySet();
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				ReflectionUtils.doWithMethods(AopUtils.getTargetClass(bean),
						(method) -> check(method, runUnlocked, warned),
						WithLockGuardAutoConfiguration::guarded);
				return bean;
			}
		};
	}

	/** Whether a method carries one of the lock annotations: {@code @WithLock}, {@code @WithReadLock}, ... */
	private static boolean guarded(Method method) {
		return AnnotatedElementUtils.hasAnnotation(method, WithLock.class) || SharedLockMethods.ANNOTATIONS.stream()
			.anyMatch((type) -> AnnotatedElementUtils.hasAnnotation(method, type));
	}

	private static String annotationOf(Method method) {
		return SharedLockMethods.ANNOTATIONS.stream()
			.filter((type) -> AnnotatedElementUtils.hasAnnotation(method, type))
			.map((type) -> "@" + type.getSimpleName())
			.findFirst()
			.orElse("@WithLock");
	}

	private static void check(Method method, boolean runUnlocked, Set<Method> warned) {
		String annotation = annotationOf(method);
		if (runUnlocked) {
			if (!warned.add(method)) {
				return;
			}
			logger.warn(annotation + " on " + method.toGenericString() + " runs WITHOUT a lock: locks are disabled and"
					+ " redis.starter.lock.run-unlocked-when-disabled is true");
			return;
		}
		throw new InvalidAnnotationException(annotation, method, InvalidAnnotationException.Kind.SETUP, "the starter's locks are not active"
				+ " (redis.starter.lock.enabled or redis.starter.enabled is false, or no Lettuce RedisConnectionFactory:"
				+ " see the condition report), so this method would run without mutual exclusion; enable locks, remove"
				+ " the annotation, or set redis.starter.lock.run-unlocked-when-disabled=true to run it unlocked", null);
	}

}
