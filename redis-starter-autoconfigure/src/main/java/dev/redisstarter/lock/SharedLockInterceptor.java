package dev.redisstarter.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.function.IntSupplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;

import dev.redisstarter.core.AnnotationExpressions;
import dev.redisstarter.core.AnnotationRoot;

/**
 * Runs each call of a {@link WithReadLock}, {@link WithWriteLock} or {@link WithPermit} method under its lease:
 * evaluates the key, acquires (or re-enters), hands a write lease's fencing token to a {@link FencingToken}
 * parameter, and releases when the method ends.
 */
public final class SharedLockInterceptor implements MethodInterceptor {

	private final SharedLockMethods methods;

	private final ObjectProvider<DistributedReadWriteLock> readWriteLock;

	private final ObjectProvider<DistributedSemaphore> semaphore;

	private final ObjectProvider<LockSettings> settings;

	private final IntSupplier defaultLimit;

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	/**
	 * An interceptor.
	 * @param methods the annotation reader shared with the pointcut
	 * @param readWriteLock the read/write lock service, looked up at the first call
	 * @param semaphore the semaphore service, looked up at the first call
	 * @param settings the lock settings, for the default wait
	 * @param defaultLimit the permits of a semaphore whose {@code @WithPermit} gives no limit, asked at each such call
	 */
	public SharedLockInterceptor(SharedLockMethods methods, ObjectProvider<DistributedReadWriteLock> readWriteLock,
			ObjectProvider<DistributedSemaphore> semaphore, ObjectProvider<LockSettings> settings, IntSupplier defaultLimit) {
		this.methods = methods;
		this.readWriteLock = readWriteLock;
		this.semaphore = semaphore;
		this.settings = settings;
		this.defaultLimit = defaultLimit;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Class<?> targetClass = (invocation.getThis() != null) ? AopUtils.getTargetClass(invocation.getThis()) : null;
		Optional<SharedLockMethods.GuardedMethod> guarded = this.methods.find(invocation.getMethod(), targetClass);
		if (guarded.isEmpty()) {
			return invocation.proceed();
		}
		SharedLockMethods.GuardedMethod method = guarded.get();
		MethodBasedEvaluationContext evaluation = new MethodBasedEvaluationContext(
				new AnnotationRoot(invocation.getMethod(), invocation.getArguments(), invocation.getThis(), targetClass),
				invocation.getMethod(), invocation.getArguments(), this.parameterNames);
		String name = AnnotationExpressions.name(method.key(), evaluation,
				"The " + method.annotation() + " key '" + method.keySource() + "' of " + method.description());
		Duration wait = (method.waitTime() != null) ? method.waitTime()
				: this.settings.getIfAvailable(() -> LockSettings.DEFAULTS).defaultWait();
		if (method.kind() == SharedLockMethods.Kind.PERMIT) {
			return withPermits(invocation, method, name, wait);
		}
		DistributedReadWriteLock locks = this.readWriteLock.getObject();
		boolean write = method.kind() == SharedLockMethods.Kind.WRITE;
		Optional<LockLease> acquired;
		if (method.lease() != null) {
			acquired = write ? locks.tryWriteLock(name, wait, method.lease()) : locks.tryReadLock(name, wait, method.lease());
		}
		else {
			acquired = write ? locks.tryWriteLock(name, wait) : locks.tryReadLock(name, wait);
		}
		try (LockLease lease = acquired.orElseThrow(() -> new LockNotAcquiredException(name, wait))) {
			if (method.tokenIndex() >= 0) {
				invocation.getArguments()[method.tokenIndex()] = new FencingToken(lease.fencingToken());
			}
			return invocation.proceed();
		}
	}

	private @Nullable Object withPermits(MethodInvocation invocation, SharedLockMethods.GuardedMethod method, String name,
			Duration wait) throws Throwable {
		DistributedSemaphore semaphores = this.semaphore.getObject();
		int limit = (method.limit() > 0) ? method.limit() : this.defaultLimit.getAsInt();
		Optional<PermitLease> acquired = (method.lease() != null)
				? semaphores.tryAcquire(name, limit, method.permits(), wait, method.lease())
				: semaphores.tryAcquire(name, limit, method.permits(), wait);
		try (PermitLease lease = acquired
			.orElseThrow(() -> new PermitsNotAcquiredException(name, method.permits(), limit, wait))) {
			return invocation.proceed();
		}
	}

}
