package dev.redisstarter.cache;

import org.springframework.core.Ordered;

import dev.redisstarter.core.AnnotatedMethodAdvisor;

/** Applies the {@link CacheAnnotationInterceptor} to bean methods annotated with the cache annotations. */
public final class CacheAnnotationAdvisor extends AnnotatedMethodAdvisor {

	/**
	 * Outside any transaction advisor of default order: a hit opens no transaction, and an eviction after the method comes after its commit.
	 */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	/**
	 * An advisor.
	 * @param methods the annotation reader
	 * @param interceptor the interceptor
	 */
	public CacheAnnotationAdvisor(CacheAnnotationMethods methods, CacheAnnotationInterceptor interceptor) {
		super(methods.annotated(), interceptor);
		setOrder(DEFAULT_ORDER);
	}

}
