package dev.redisstarter.lock;

import dev.redisstarter.core.AnnotatedMethodAdvisor;

/**
 * Applies the {@link SharedLockInterceptor} to every bean method annotated with {@link WithReadLock},
 * {@link WithWriteLock} or {@link WithPermit}; ordered as {@link WithLockAdvisor} (outside transactions of default
 * order, so a lease is released after the commit).
 */
public final class SharedLockAdvisor extends AnnotatedMethodAdvisor {

	/**
	 * An advisor.
	 * @param methods the annotation reader
	 * @param interceptor the interceptor
	 */
	public SharedLockAdvisor(SharedLockMethods methods, SharedLockInterceptor interceptor) {
		super(methods.annotated(), interceptor);
		setOrder(WithLockAdvisor.DEFAULT_ORDER);
	}

}
