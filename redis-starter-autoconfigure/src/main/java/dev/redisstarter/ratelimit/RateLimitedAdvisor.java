package dev.redisstarter.ratelimit;

import dev.redisstarter.core.AnnotatedMethodAdvisor;

/** Applies the {@link RateLimitedInterceptor} to every bean method annotated with {@link RateLimited}. */
public final class RateLimitedAdvisor extends AnnotatedMethodAdvisor {

	/**
	 * An advisor.
	 * @param methods the annotation reader
	 * @param interceptor the interceptor
	 */
	public RateLimitedAdvisor(RateLimitedMethods methods, RateLimitedInterceptor interceptor) {
		super(methods.annotated(), interceptor);
	}

}
