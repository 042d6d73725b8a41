package dev.redisstarter.autoconfigure;

import java.lang.reflect.Method;
import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ReflectionUtils;

import dev.redisstarter.core.InvalidAnnotationException;
import dev.redisstarter.lock.WithLock;

/**
 * With locks switched off ({@code redis.starter.lock.enabled=false} or {@code redis.starter.enabled=false}), a
 * {@code @WithLock} method would run without its lock, silently: mutual exclusion gone by a property. This stops
 * start-up at the first such method instead, unless {@code redis.starter.lock.run-unlocked-when-disabled=true},
 * which runs them without a lock and says so at WARN, once per method.
 */
@AutoConfiguration
@Conditional(WithLockGuardAutoConfiguration.LocksDisabledCondition.class)
public final class WithLockGuardAutoConfiguration {

	private static final Log logger = LogFactory.getLog(WithLockGuardAutoConfiguration.class);

	@Bean
	static BeanPostProcessor redisStarterWithLockGuard(Environment environment) {
		boolean runUnlocked = environment.getProperty("redis.starter.lock.run-unlocked-when-disabled", Boolean.class,
				false);
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				ReflectionUtils.doWithMethods(AopUtils.getTargetClass(bean), (method) -> check(method, runUnlocked),
						(method) -> AnnotatedElementUtils.hasAnnotation(method, WithLock.class));
				return bean;
			}
		};
	}

	private static void check(Method method, boolean runUnlocked) {
		if (runUnlocked) {
			logger.warn("@WithLock on " + method.toGenericString() + " runs WITHOUT a lock: locks are disabled and"
					+ " redis.starter.lock.run-unlocked-when-disabled is true");
			return;
		}
		throw new InvalidAnnotationException("@WithLock", method, "locks are disabled (redis.starter.lock.enabled or"
				+ " redis.starter.enabled is false), so this method would run without mutual exclusion; enable locks,"
				+ " remove the annotation, or set redis.starter.lock.run-unlocked-when-disabled=true to run it unlocked",
				null);
	}

	/** Matches when locks are switched off, by their own property or the starter's. */
	static class LocksDisabledCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			for (String property : new String[] { "redis.starter.enabled", "redis.starter.lock.enabled" }) {
				String value = context.getEnvironment().getProperty(property);
				if (value != null && value.strip().toLowerCase(Locale.ROOT).equals("false")) {
					return ConditionOutcome.match(property + " is false");
				}
			}
			return ConditionOutcome.noMatch("locks are enabled");
		}

	}

}
