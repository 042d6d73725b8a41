package dev.redisstarter.ratelimit;

import java.util.List;
import java.util.Optional;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.expression.MethodBasedEvaluationContext;

import dev.redisstarter.core.AnnotationExpressions;
import dev.redisstarter.core.AnnotationRoot;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;

/**
 * Decides each call of a {@link RateLimited} method before it runs: evaluates the key of each group of
 * limits, asks the {@link RateLimiter}, tells the {@link RateLimitContext}s the most restrictive decision,
 * and throws {@link RateLimitExceededException} on a rejection (the method does not run).
 */
public final class RateLimitedInterceptor implements MethodInterceptor {

	/** The key of calls that name none, outside any context that offers one. */
	static final String GLOBAL_KEY = "global";

	private final RateLimitedMethods methods;

	private final ObjectProvider<RateLimiter> limiter;

	private final ObjectProvider<RateLimitContext> contexts;

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	/**
	 * An interceptor.
	 * @param methods the annotation reader shared with the pointcut
	 * @param limiter the limiter, looked up at the first call
	 * @param contexts the contexts (such as the web layer), looked up at each call
	 */
	public RateLimitedInterceptor(RateLimitedMethods methods, ObjectProvider<RateLimiter> limiter,
			ObjectProvider<RateLimitContext> contexts) {
		this.methods = methods;
		this.limiter = limiter;
		this.contexts = contexts;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Class<?> targetClass = (invocation.getThis() != null) ? AopUtils.getTargetClass(invocation.getThis()) : null;
		Optional<RateLimitedMethods.RateLimitedMethod> rateLimited = this.methods.find(invocation.getMethod(), targetClass);
		if (rateLimited.isEmpty()) {
			return invocation.proceed();
		}
		List<RateLimitContext> active = this.contexts.orderedStream().toList();
		RateLimiter rateLimiter = this.limiter.getObject();
		RateLimitResult reported = null;
		for (RateLimitedMethods.RateLimitedMethod.Group group : rateLimited.get().groups()) {
			String key = key(group, invocation, active, rateLimited.get());
			List<RateLimit> limits = (group.permits() == 1) ? notTakenByARule(key, group.limits(), active) : group.limits();
			if (limits.isEmpty()) {
				continue;
			}
			RateLimitResult result = rateLimiter.tryAcquire(key, limits, group.permits());
			if (reported == null || !result.allowed() || (reported.allowed() && result.remaining() < reported.remaining())) {
				reported = result;
			}
			if (!result.allowed()) {
				report(active, result);
				throw new RateLimitExceededException(key, result);
			}
		}
		report(active, reported);
		return invocation.proceed();
	}

	private String key(RateLimitedMethods.RateLimitedMethod.Group group, MethodInvocation invocation,
			List<RateLimitContext> active, RateLimitedMethods.RateLimitedMethod method) {
		if (group.key() == null) {
			for (RateLimitContext context : active) {
				String key = context.defaultKey();
				if (key != null) {
					return key;
				}
			}
			return GLOBAL_KEY;
		}
		MethodBasedEvaluationContext evaluation = new MethodBasedEvaluationContext(
				new AnnotationRoot(invocation.getMethod(), invocation.getArguments(), invocation.getThis(),
						(invocation.getThis() != null) ? invocation.getThis().getClass() : null),
				invocation.getMethod(),
				invocation.getArguments(), this.parameterNames);
		for (RateLimitContext context : active) {
			context.variables().forEach(evaluation::setVariable);
		}
		return AnnotationExpressions.name(group.key(), evaluation,
				"The @RateLimited key '" + group.keySource() + "' of " + method.description());
	}

	/** The limits an HTTP rule did not already take one permit of, for this key, in this request. */
	private static List<RateLimit> notTakenByARule(String key, List<RateLimit> limits, List<RateLimitContext> active) {
		List<RateLimit> remaining = null;
		for (int i = 0; i < limits.size(); i++) {
			RateLimit limit = limits.get(i);
			boolean taken = false;
			for (RateLimitContext context : active) {
				taken |= context.decidedByRule(key, limit);
			}
			if (taken && remaining == null) {
				remaining = new java.util.ArrayList<>(limits.subList(0, i));
			}
			else if (!taken && remaining != null) {
				remaining.add(limit);
			}
		}
		// The common case (no rule took any of them) allocates nothing.
		return (remaining != null) ? remaining : limits;
	}

	private static void report(List<RateLimitContext> active, @Nullable RateLimitResult result) {
		if (result != null) {
			for (RateLimitContext context : active) {
				context.decided(result);
			}
		}
	}

}
