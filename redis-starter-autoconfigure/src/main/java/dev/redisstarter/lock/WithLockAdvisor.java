package dev.redisstarter.lock;

import dev.redisstarter.core.AnnotatedMethodAdvisor;

/** Applies the {@link WithLockInterceptor} to every bean method annotated with {@link WithLock}. */
public final class WithLockAdvisor extends AnnotatedMethodAdvisor {

	/**
	 * An advisor.
	 * @param methods the annotation reader
	 * @param interceptor the interceptor
	 */
	public WithLockAdvisor(WithLockMethods methods, WithLockInterceptor interceptor) {
		super(methods.annotated(), interceptor);
	}

}
