package dev.redisstarter.lock;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
 * Reads the {@link WithLock} annotation of a method once (key expression parsed, durations checked), throwing
 * a message that names the method when it is wrong. Used by the advisor's pointcut while beans are created,
 * and by the interceptor on each call.
 */
public final class WithLockMethods {

	private final AnnotationExpressions expressions = new AnnotationExpressions();

	private final AnnotatedMethods<LockedMethod> methods = new AnnotatedMethods<>(this::read);

	/**
	 * The lock of a method, read once.
	 * @param method the invoked method
	 * @param targetClass the class of the target bean
	 * @return the compiled annotation, or empty when the method has none
	 */
	public Optional<LockedMethod> find(Method method, @Nullable Class<?> targetClass) {
		return this.methods.find(method, targetClass);
	}

	/**
	 * The cache behind {@link #find}, for the advisor.
	 * @return the annotated methods
	 */
	AnnotatedMethods<LockedMethod> annotated() {
		return this.methods;
	}

	private Optional<LockedMethod> read(Method method) {
		WithLock annotation = AnnotatedElementUtils.findMergedAnnotation(method, WithLock.class);
		if (annotation == null) {
			return Optional.empty();
		}
		try {
			AsyncReturnTypes.refuse(method, "@WithLock", "releases the lock");
			Expression key = this.expressions.parse(annotation.key(), method, List.of());
			Duration waitTime = annotation.waitTime().isEmpty() ? null : Durations.parse(annotation.waitTime());
			Duration lease = annotation.lease().isEmpty() ? null : Durations.parse(annotation.lease());
			if (lease != null && lease.toMillis() < 1) {
				throw new IllegalArgumentException("lease must be at least 1 ms, was " + lease);
			}
			int tokenIndex = -1;
			Class<?>[] parameters = method.getParameterTypes();
			for (int i = 0; i < parameters.length; i++) {
				if (parameters[i] == FencingToken.class) {
					tokenIndex = i;
				}
			}
			return Optional.of(new LockedMethod(method.getDeclaringClass().getSimpleName() + "." + method.getName(),
					annotation.key(), key, waitTime, lease, tokenIndex));
		}
		catch (IllegalArgumentException | ParseException ex) {
			throw new InvalidAnnotationException("@WithLock", method, ex.getMessage(), ex);
		}
	}

	/**
	 * A method's lock.
	 *
	 * @param description {@code Class.method}, for messages
	 * @param keySource the key expression as written
	 * @param key the parsed key expression
	 * @param waitTime the wait, or {@code null} for the default
	 * @param lease a fixed lease, or {@code null} for the renewed default
	 * @param tokenIndex the index of a {@link FencingToken} parameter, or -1
	 */
	public record LockedMethod(String description, String keySource, Expression key, @Nullable Duration waitTime,
			@Nullable Duration lease, int tokenIndex) {
	}

}
