package dev.redisstarter.cache;

import dev.redisstarter.core.AnnotatedMethodAdvisor;

/** Applies the {@link CacheAnnotationInterceptor} to bean methods annotated with the cache annotations. */
public final class CacheAnnotationAdvisor extends AnnotatedMethodAdvisor {

	/**
	 * An advisor.
	 * @param methods the annotation reader
	 * @param interceptor the interceptor
	 */
	public CacheAnnotationAdvisor(CacheAnnotationMethods methods, CacheAnnotationInterceptor interceptor) {
		super(methods.annotated(), interceptor);
	}

}
