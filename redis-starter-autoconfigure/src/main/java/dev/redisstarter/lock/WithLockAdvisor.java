package dev.redisstarter.lock;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Applies the {@link WithLockInterceptor} to every bean method annotated with {@link WithLock}; matching reads
 * (and so validates) the annotation as each bean is created.
 */
public final class WithLockAdvisor extends AbstractPointcutAdvisor {

	private final transient Pointcut pointcut;

	private final transient WithLockInterceptor interceptor;

	/**
	 * An advisor.
	 * @param methods the annotation reader
	 * @param interceptor the interceptor
	 */
	public WithLockAdvisor(WithLockMethods methods, WithLockInterceptor interceptor) {
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
