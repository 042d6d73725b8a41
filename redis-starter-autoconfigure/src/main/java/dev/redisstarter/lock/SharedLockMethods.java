package dev.redisstarter.lock;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;

import dev.redisstarter.core.AnnotatedMethods;
import dev.redisstarter.core.AnnotationExpressions;
import dev.redisstarter.core.AsyncReturnTypes;
import dev.redisstarter.core.Durations;
import dev.redisstarter.core.InvalidAnnotationException;

/**
 * Reads the {@link WithReadLock}, {@link WithWriteLock} or {@link WithPermit} annotation of a method once (key
 * expression parsed, durations and counts checked), throwing a message that names the method when it is wrong (or
 * carries more than one of them). Used by the advisor's pointcut while beans are created, and by the interceptor on
 * each call.
 */
public final class SharedLockMethods {

	/** The annotations read here. */
	public static final List<Class<? extends Annotation>> ANNOTATIONS = List.of(WithReadLock.class, WithWriteLock.class,
			WithPermit.class);

	private final AnnotationExpressions expressions = new AnnotationExpressions();

	private final AnnotatedMethods<GuardedMethod> methods = new AnnotatedMethods<>(this::read);

	private final IntSupplier defaultLimit;

	/** An annotation reader that does not check {@code permits} of a {@link WithPermit} without a limit. */
	public SharedLockMethods() {
		this(() -> 0);
	}

	/**
	 * An annotation reader that checks {@code permits} of a {@link WithPermit} without a limit against the default
	 * limit, so that such a method fails start-up rather than every call.
	 * @param defaultLimit {@code redis.starter.lock.default-permits}, or 0 when unknown
	 */
	public SharedLockMethods(IntSupplier defaultLimit) {
		this.defaultLimit = defaultLimit;
	}

	/**
	 * The guard of a method, read once.
	 * @param method the invoked method
	 * @param targetClass the class of the target bean
	 * @return the compiled annotation, or empty when the method has none
	 */
	public Optional<GuardedMethod> find(Method method, @Nullable Class<?> targetClass) {
		return this.methods.find(method, targetClass);
	}

	AnnotatedMethods<GuardedMethod> annotated() {
		return this.methods;
	}

	private Optional<GuardedMethod> read(Method method) {
		List<Annotation> found = new ArrayList<>();
		for (Class<? extends Annotation> type : ANNOTATIONS) {
			Annotation annotation = AnnotatedElementUtils.findMergedAnnotation(method, type);
			if (annotation != null) {
				found.add(annotation);
			}
		}
		if (found.isEmpty()) {
			return Optional.empty();
		}
		String name = "@" + found.get(0).annotationType().getSimpleName();
		try {
			// With @WithLock too, two advisors of one order would take the locks in an order left to chance.
			if (found.size() > 1 || AnnotatedElementUtils.hasAnnotation(method, WithLock.class)) {
				throw new IllegalArgumentException("a method may carry only one of @WithLock, @WithReadLock,"
						+ " @WithWriteLock and @WithPermit");
			}
			return Optional.of(compile(method, found.get(0), name));
		}
		catch (IllegalArgumentException | ParseException ex) {
			throw new InvalidAnnotationException(name, method, ex.getMessage(), ex);
		}
	}

	private GuardedMethod compile(Method method, Annotation annotation, String name) {
		AsyncReturnTypes.refuse(method, name, "releases the lease");
		Kind kind;
		String key;
		String waitTime;
		String lease;
		int limit = 0;
		int permits = 1;
		if (annotation instanceof WithReadLock read) {
			kind = Kind.READ;
			key = read.key();
			waitTime = read.waitTime();
			lease = read.lease();
		}
		else if (annotation instanceof WithWriteLock write) {
			kind = Kind.WRITE;
			key = write.key();
			waitTime = write.waitTime();
			lease = write.lease();
		}
		else {
			WithPermit permit = (WithPermit) annotation;
			kind = Kind.PERMIT;
			key = permit.key();
			waitTime = permit.waitTime();
			lease = permit.lease();
			limit = permit.limit();
			permits = permit.permits();
			if (limit < 0) {
				throw new IllegalArgumentException("limit must be 0 (the default) or positive, was " + limit);
			}
			if (permits < 1 || (limit > 0 && permits > limit)) {
				throw new IllegalArgumentException("permits must be 1 to the limit, was " + permits);
			}
			int defaultLimit = this.defaultLimit.getAsInt();
			if (limit == 0 && defaultLimit > 0 && permits > defaultLimit) {
				throw new IllegalArgumentException("permits must be 1 to the limit, here the default limit "
						+ defaultLimit + " (redis.starter.lock.default-permits), was " + permits);
			}
		}
		Expression parsed = this.expressions.parse(key, method, List.of());
		Duration wait = waitTime.isEmpty() ? null : Durations.parse(waitTime);
		Duration fixedLease = lease.isEmpty() ? null : Durations.parse(lease);
		if (fixedLease != null && fixedLease.toMillis() < 1) {
			throw new IllegalArgumentException("lease must be at least 1 ms, was " + fixedLease);
		}
		int tokenIndex = -1;
		Class<?>[] parameters = method.getParameterTypes();
		for (int i = 0; i < parameters.length; i++) {
			if (parameters[i] == FencingToken.class) {
				tokenIndex = i;
			}
		}
		if (tokenIndex >= 0 && kind == Kind.PERMIT) {
			throw new IllegalArgumentException("a FencingToken parameter has no token to receive under a permit");
		}
		return new GuardedMethod(kind, name, method.getDeclaringClass().getSimpleName() + "." + method.getName(), key,
				parsed, wait, fixedLease, tokenIndex, limit, permits);
	}

	/** What a method is guarded by. */
	public enum Kind {

		/** A read lease ({@link WithReadLock}). */
		READ,

		/** The write lease ({@link WithWriteLock}). */
		WRITE,

		/** Semaphore permits ({@link WithPermit}). */
		PERMIT

	}

	/**
	 * A method's guard.
	 *
	 * @param kind read, write or permit
	 * @param annotation the annotation's name, for messages
	 * @param description {@code Class.method}, for messages
	 * @param keySource the key expression as written
	 * @param key the parsed key expression
	 * @param waitTime the wait, or {@code null} for the default
	 * @param lease a fixed lease, or {@code null} for the renewed default
	 * @param tokenIndex the index of a {@link FencingToken} parameter, or -1
	 * @param limit a semaphore's permits, or 0 for the default
	 * @param permits the permits a call takes
	 */
	public record GuardedMethod(Kind kind, String annotation, String description, String keySource, Expression key,
			@Nullable Duration waitTime, @Nullable Duration lease, int tokenIndex, int limit, int permits) {
	}

}
