package dev.redisstarter.ratelimit;

import org.springframework.core.Ordered;

import dev.redisstarter.core.AnnotatedMethodAdvisor;

/** Applies the {@link RateLimitedInterceptor} to every bean method annotated with {@link RateLimited}. */
public final class RateLimitedAdvisor extends AnnotatedMethodAdvisor {

	/**
	 * Outermost of the starter's advisors: a rejected call takes no lock and opens no transaction.
	 */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 300;

	/**
	 * An advisor.
	 * @param methods the annotation reader
	 * @param interceptor the interceptor
	 */
	public RateLimitedAdvisor(RateLimitedMethods methods, RateLimitedInterceptor interceptor) {
		super(methods.annotated(), interceptor);
		setOrder(DEFAULT_ORDER);
	}

}
