package dev.redisstarter.core;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;

/**
 * What an annotation on a method means, read once per method and target class by a reader that validates
 * it (parsed expressions, resolved policies). Shared by an advisor's pointcut, which reads every method as
 * beans are created (so a mistake stops start-up), and by its interceptor, which finds the result on each call.
 *
 * @param <T> the compiled form of the annotation
 */
public final class AnnotatedMethods<T> {

	private final Function<Method, Optional<T>> reader;

	private final Map<MethodClassKey, Optional<T>> methods = new ConcurrentHashMap<>();

	/**
	 * A cache around a reader.
	 * @param reader reads the most specific method; empty when it carries no annotation
	 */
	public AnnotatedMethods(Function<Method, Optional<T>> reader) {
		this.reader = reader;
	}

	/**
	 * The compiled annotation of a method, read once.
	 * @param method the invoked method
	 * @param targetClass the class of the target bean
	 * @return the compiled annotation, or empty when the method has none
	 */
	public Optional<T> find(Method method, @Nullable Class<?> targetClass) {
		MethodClassKey key = new MethodClassKey(method, targetClass);
		Optional<T> known = this.methods.get(key);
		if (known != null) {
			return known;
		}
		// Not computeIfAbsent: reading may create beans (a policy registry), whose methods are read in turn.
		Optional<T> read = this.reader.apply(AopUtils.getMostSpecificMethod(method, targetClass));
		Optional<T> raced = this.methods.putIfAbsent(key, read);
		return (raced != null) ? raced : read;
	}

}
