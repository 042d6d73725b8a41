package dev.redisstarter.lock;

import java.time.Duration;
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
 * Runs each call of a {@link WithLock} method under its lock: evaluates the key, acquires (or re-enters),
 * hands the fencing token to a {@link FencingToken} parameter, and releases when the method ends.
 */
public final class WithLockInterceptor implements MethodInterceptor {

	private final WithLockMethods methods;

	private final ObjectProvider<DistributedLock> lock;

	private final ObjectProvider<LockSettings> settings;

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	/**
	 * An interceptor.
	 * @param methods the annotation reader shared with the pointcut
	 * @param lock the lock service, looked up at the first call
	 * @param settings the lock settings, for the default wait
	 */
	public WithLockInterceptor(WithLockMethods methods, ObjectProvider<DistributedLock> lock,
			ObjectProvider<LockSettings> settings) {
		this.methods = methods;
		this.lock = lock;
		this.settings = settings;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Class<?> targetClass = (invocation.getThis() != null) ? AopUtils.getTargetClass(invocation.getThis()) : null;
		Optional<WithLockMethods.LockedMethod> locked = this.methods.find(invocation.getMethod(), targetClass);
		if (locked.isEmpty()) {
			return invocation.proceed();
		}
		WithLockMethods.LockedMethod method = locked.get();
		MethodBasedEvaluationContext evaluation = new MethodBasedEvaluationContext(
				new AnnotationRoot(invocation.getMethod(), invocation.getArguments(), invocation.getThis(), targetClass),
				invocation.getMethod(),
				invocation.getArguments(), this.parameterNames);
		String name = AnnotationExpressions.name(method.key(), evaluation,
				"The @WithLock key '" + method.keySource() + "' of " + method.description());
		DistributedLock locks = this.lock.getObject();
		Duration wait = (method.waitTime() != null) ? method.waitTime()
				: this.settings.getIfAvailable(() -> LockSettings.DEFAULTS).defaultWait();
		Optional<LockLease> acquired = (method.lease() != null) ? locks.tryAcquire(name, wait, method.lease())
				: locks.tryAcquire(name, wait);
		try (LockLease lease = acquired.orElseThrow(() -> new LockNotAcquiredException(name, wait))) {
			if (method.tokenIndex() >= 0) {
				invocation.getArguments()[method.tokenIndex()] = new FencingToken(lease.fencingToken());
			}
			return invocation.proceed();
		}
	}

}
