package dev.redisstarter.lock;

import org.springframework.core.Ordered;

import dev.redisstarter.core.AnnotatedMethodAdvisor;

/** Applies the {@link WithLockInterceptor} to every bean method annotated with {@link WithLock}. */
public final class WithLockAdvisor extends AnnotatedMethodAdvisor {

	/**
	 * Outside the cache advisor and any transaction advisor of default order: the lock is taken before the transaction begins and released after it commits.
	 */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 200;

	/**
	 * An advisor.
	 * @param methods the annotation reader
	 * @param interceptor the interceptor
	 */
	public WithLockAdvisor(WithLockMethods methods, WithLockInterceptor interceptor) {
		super(methods.annotated(), interceptor);
		setOrder(DEFAULT_ORDER);
	}

}
