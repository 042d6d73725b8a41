package dev.redisstarter.ratelimit;

import java.lang.reflect.Method;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Applies the {@link RateLimitedInterceptor} to every bean method annotated with {@link RateLimited}.
 * Matching reads (and so validates) the annotations as each bean is created.
 */
public final class RateLimitedAdvisor extends AbstractPointcutAdvisor {

	private final transient Pointcut pointcut;

	private final transient RateLimitedInterceptor interceptor;

	/**
	 * An advisor.
	 * @param methods the annotation reader
	 * @param interceptor the interceptor
	 */
	public RateLimitedAdvisor(RateLimitedMethods methods, RateLimitedInterceptor interceptor) {
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
