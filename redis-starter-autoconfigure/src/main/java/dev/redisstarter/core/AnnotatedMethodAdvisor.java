package dev.redisstarter.core;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Applies an interceptor to every bean method that {@link AnnotatedMethods} finds an annotation on. Matching
 * reads, and so validates, each method's annotation as the bean is created. Each capability subclasses it so
 * that its advisor has a type of its own (for {@code @ConditionalOnMissingBean}).
 */
public abstract class AnnotatedMethodAdvisor extends AbstractPointcutAdvisor {

	private final transient Pointcut pointcut;

	private final transient MethodInterceptor interceptor;

	/**
	 * An advisor.
	 * @param methods the annotation reader shared with the interceptor
	 * @param interceptor what runs around matching methods
	 */
	protected AnnotatedMethodAdvisor(AnnotatedMethods<?> methods, MethodInterceptor interceptor) {
		this.interceptor = interceptor;
		this.pointcut = new StaticMethodMatcherPointcut() {

			@Override
			public boolean matches(Method method, Class<?> targetClass) {
				return methods.find(method, targetClass).isPresent();
			}

		};
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this.interceptor;
	}

}
