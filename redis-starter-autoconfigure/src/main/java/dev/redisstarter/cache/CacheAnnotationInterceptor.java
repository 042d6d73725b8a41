package dev.redisstarter.cache;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.redisstarter.core.AnnotationExpressions;
import dev.redisstarter.core.AnnotationRoot;

/**
 * Runs {@link TaggedCacheable} methods through {@link CacheService#getOrLoad} and applies {@link EvictTags}.
 * The method's own exceptions pass through unchanged.
 */
public final class CacheAnnotationInterceptor implements MethodInterceptor {

	private final CacheAnnotationMethods methods;

	private final ObjectProvider<CacheService> cache;

	private final ObjectProvider<CacheSettings> settings;

	private final ParameterNameDiscoverer parameterNames = new RememberedParameterNames();

	/** The beans, looked up at the first call and kept: a lookup by type on every call costs more than a local hit. */
	private volatile @Nullable CacheService resolvedCache;

	private volatile @Nullable CacheSettings resolvedSettings;

	/**
	 * An interceptor.
	 * @param methods the annotation reader shared with the pointcut
	 * @param cache the cache service, looked up at the first call
	 * @param settings per-cache times to live (defaults when there is no bean)
	 */
	public CacheAnnotationInterceptor(CacheAnnotationMethods methods, ObjectProvider<CacheService> cache,
			ObjectProvider<CacheSettings> settings) {
		this.methods = methods;
		this.cache = cache;
		this.settings = settings;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Class<?> targetClass = (invocation.getThis() != null) ? AopUtils.getTargetClass(invocation.getThis()) : null;
		Optional<CacheAnnotationMethods.CachingMethod> found = this.methods.find(invocation.getMethod(), targetClass);
		if (found.isEmpty()) {
			return invocation.proceed();
		}
		CacheAnnotationMethods.CachingMethod method = found.get();
		// Built only when an expression needs it: a hit whose key is a parameter evaluates no SpEL at all.
		CallContext context = new CallContext(invocation, targetClass, this.parameterNames);
		CacheAnnotationMethods.Eviction eviction = method.eviction();
		if (eviction != null && eviction.beforeInvocation()) {
			evict(method, eviction, context.get(), null);
		}
		Object result = (method.cacheable() != null) ? cached(method, method.cacheable(), invocation, context)
				: invocation.proceed();
		if (eviction != null && !eviction.beforeInvocation()) {
			evict(method, eviction, context.get(), result);
		}
		return result;
	}

	private @Nullable Object cached(CacheAnnotationMethods.CachingMethod method, CacheAnnotationMethods.Cacheable cacheable,
			MethodInvocation invocation, CallContext context) throws Throwable {
		if (cacheable.condition() != null
				&& !Boolean.TRUE.equals(cacheable.condition().getValue(context.get(), Boolean.class))) {
			return invocation.proceed();
		}
		String name;
		if (cacheable.keyArgument() >= 0) {
			Object argument = invocation.getArguments()[cacheable.keyArgument()];
			name = (argument != null) ? argument.toString() : null;
			if (name == null || name.isEmpty()) {
				name = AnnotationExpressions.name(argument, "The @TaggedCacheable key of " + method.description());
			}
		}
		else {
			name = AnnotationExpressions.name(cacheable.key(), context.get(),
					"The @TaggedCacheable key of " + method.description());
		}
		String key = cacheable.cache() + ":" + name;
		try {
			Object result = cache().getOrLoad(key, cacheable.returnType(), ttl(cacheable), () -> {
				try {
					return invocation.proceed();
				}
				catch (Throwable ex) {
					throw new MethodFailure(ex);
				}
			}, (value) -> tags(cacheable.tags(), context.get(), value, "@TaggedCacheable", method), (value) -> {
				if (cacheable.unless() == null) {
					return true;
				}
				MethodBasedEvaluationContext evaluation = context.get();
				evaluation.setVariable("result", value);
				return !Boolean.TRUE.equals(cacheable.unless().getValue(evaluation, Boolean.class));
			});
			return (result == null && cacheable.optional()) ? Optional.empty() : result;
		}
		catch (MethodFailure failure) {
			throw failure.getCause();
		}
	}

	private Duration ttl(CacheAnnotationMethods.Cacheable cacheable) {
		CacheSettings configured = this.resolvedSettings;
		if (configured == null) {
			configured = this.settings.getIfAvailable(() -> CacheSettings.DEFAULTS);
			this.resolvedSettings = configured;
		}
		return configured.ttl(cacheable.cache(), cacheable.ttl());
	}

	/**
	 * Invalidates the tags now and, after a method that ran inside a caller's active transaction, once more after
	 * that transaction commits. The first covers writes the method already committed (its own transaction,
	 * {@code REQUIRES_NEW} included: this advisor sits outside it); the second, writes that commit only with the
	 * caller's transaction: a reader between the first invalidation and that commit may have cached the old data.
	 * On rollback only the first happened, which costs a miss, never a stale read.
	 */
	private void evict(CacheAnnotationMethods.CachingMethod method, CacheAnnotationMethods.Eviction eviction,
			MethodBasedEvaluationContext context, @Nullable Object result) {
		String[] tags = tags(eviction.tags(), context, result, "@EvictTags", method).toArray(String[]::new);
		cache().invalidateTags(tags);
		if (!eviction.beforeInvocation() && TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					cache().invalidateTags(tags);
				}
			});
		}
	}

	private static List<String> tags(List<Expression> expressions, MethodBasedEvaluationContext context,
			@Nullable Object result, String annotation, CacheAnnotationMethods.CachingMethod method) {
		context.setVariable("result", result);
		List<String> tags = new ArrayList<>(expressions.size());
		for (Expression expression : expressions) {
			if (result == null && AnnotationExpressions.variablesOf(expression).contains("result")) {
				// A tag that describes the value: there is none (a cached absence, or before the method ran).
				continue;
			}
			tags.add(AnnotationExpressions.name(expression, context,
					"A " + annotation + " tag '" + expression.getExpressionString() + "' of " + method.description()));
		}
		return tags;
	}

	private CacheService cache() {
		CacheService service = this.resolvedCache;
		if (service == null) {
			service = this.cache.getObject();
			this.resolvedCache = service;
		}
		return service;
	}

	/** A call's SpEL evaluation context, built on first use. */
	private static final class CallContext {

		private final MethodInvocation invocation;

		private final @Nullable Class<?> targetClass;

		private final ParameterNameDiscoverer parameterNames;

		private @Nullable MethodBasedEvaluationContext context;

		CallContext(MethodInvocation invocation, @Nullable Class<?> targetClass, ParameterNameDiscoverer parameterNames) {
			this.invocation = invocation;
			this.targetClass = targetClass;
			this.parameterNames = parameterNames;
		}

		MethodBasedEvaluationContext get() {
			if (this.context == null) {
				this.context = new MethodBasedEvaluationContext(new AnnotationRoot(this.invocation.getMethod(),
						this.invocation.getArguments(), this.invocation.getThis(), this.targetClass),
						this.invocation.getMethod(), this.invocation.getArguments(), this.parameterNames);
			}
			return this.context;
		}

	}

	/** Carries the method's own exception through the loader, to be rethrown unchanged. */
	private static final class MethodFailure extends RuntimeException {

		MethodFailure(Throwable cause) {
			super(cause);
		}

	}

	/** Parameter names found once per method: discovering them allocates, and SpEL asks on every call. */
	private static final class RememberedParameterNames implements ParameterNameDiscoverer {

		private final ParameterNameDiscoverer discoverer = new DefaultParameterNameDiscoverer();

		private final Map<Method, Optional<String[]>> names = new ConcurrentHashMap<>();

		@Override
		public String @Nullable [] getParameterNames(Method method) {
			Optional<String[]> known = this.names.get(method);
			if (known == null) {
				known = Optional.ofNullable(this.discoverer.getParameterNames(method));
				this.names.putIfAbsent(method, known);
			}
			return known.orElse(null);
		}

		@Override
		public String @Nullable [] getParameterNames(java.lang.reflect.Constructor<?> constructor) {
			return this.discoverer.getParameterNames(constructor);
		}

	}

}
