package dev.redisstarter.cache;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
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
 * Reads {@link TaggedCacheable} and {@link EvictTags} once per method: parses every expression, reads the time
 * to live, and keeps the generic return type, throwing a message that names the method when any of it is
 * wrong (at bean creation, through the advisor's pointcut).
 */
public final class CacheAnnotationMethods {

	private static final List<String> NO_VARIABLES = List.of();

	/** What {@code #result} is: the method's return value, where one exists. */
	private static final List<String> RESULT = List.of("result");

	private final AnnotationExpressions expressions = new AnnotationExpressions();

	private final AnnotatedMethods<CachingMethod> methods = new AnnotatedMethods<>(this::read);

	/**
	 * The cache annotations of a method, read once.
	 * @param method the invoked method
	 * @param targetClass the class of the target bean
	 * @return the compiled annotations, or empty when the method has none
	 */
	public Optional<CachingMethod> find(Method method, @Nullable Class<?> targetClass) {
		return this.methods.find(method, targetClass);
	}

	AnnotatedMethods<CachingMethod> annotated() {
		return this.methods;
	}

	private Optional<CachingMethod> read(Method method) {
		TaggedCacheable cacheable = AnnotatedElementUtils.findMergedAnnotation(method, TaggedCacheable.class);
		EvictTags evict = AnnotatedElementUtils.findMergedAnnotation(method, EvictTags.class);
		if (cacheable == null && evict == null) {
			return Optional.empty();
		}
		try {
			Cacheable cached = null;
			if (cacheable != null) {
				if (cacheable.cache().isBlank()) {
					throw new IllegalArgumentException("cache must not be empty");
				}
				AsyncReturnTypes.refuse(method, "@TaggedCacheable", "caches the result");
				if (method.getReturnType() == void.class) {
					throw new IllegalArgumentException("a method that returns nothing has nothing to cache");
				}
				cached = new Cacheable(cacheable.cache(), this.expressions.parse(cacheable.key(), method, NO_VARIABLES),
						this.expressions.parameterIndex(cacheable.key(), method),
						parseAll(cacheable.tags(), method, RESULT),
						cacheable.ttl().isEmpty() ? null : Durations.parse(cacheable.ttl()),
						parse(cacheable.condition(), method, NO_VARIABLES), parse(cacheable.unless(), method, RESULT),
						method.getGenericReturnType(), method.getReturnType() == Optional.class);
			}
			if (evict != null && !evict.beforeInvocation()) {
				AsyncReturnTypes.refuse(method, "@EvictTags", "invalidates");
			}
			Eviction eviction = (evict != null) ? new Eviction(
					parseAll(evict.value(), method, evict.beforeInvocation() ? NO_VARIABLES : RESULT),
					evict.beforeInvocation()) : null;
			return Optional.of(new CachingMethod(method.getDeclaringClass().getSimpleName() + "." + method.getName(), cached,
					eviction));
		}
		catch (IllegalArgumentException | ParseException ex) {
			throw new InvalidAnnotationException((cacheable != null) ? "@TaggedCacheable" : "@EvictTags", method,
					ex.getMessage(), ex);
		}
	}

	private List<Expression> parseAll(String[] expressions, Method method, List<String> variables) {
		return Arrays.stream(expressions).map((source) -> this.expressions.parse(source, method, variables)).toList();
	}

	private @Nullable Expression parse(String expression, Method method, List<String> variables) {
		return expression.isEmpty() ? null : this.expressions.parse(expression, method, variables);
	}

	/**
	 * A method's cache annotations.
	 *
	 * @param description {@code Class.method}, for messages
	 * @param cacheable the caching, or {@code null}
	 * @param eviction the eviction, or {@code null}
	 */
	public record CachingMethod(String description, @Nullable Cacheable cacheable, @Nullable Eviction eviction) {
	}

	/**
	 * A compiled {@link TaggedCacheable}.
	 *
	 * @param cache the cache name
	 * @param key the key expression
	 * @param keyArgument the parameter the key is nothing but a reference to ({@code #id}), read without SpEL; -1
	 * when the key is any other expression
	 * @param tags the tag expressions
	 * @param ttl the time to live asked for, or {@code null} for the configured one
	 * @param condition the condition, or {@code null}
	 * @param unless the veto, or {@code null}
	 * @param returnType the method's generic return type
	 * @param optional whether the method returns an {@code Optional}
	 */
	public record Cacheable(String cache, Expression key, int keyArgument, List<Expression> tags, @Nullable Duration ttl,
			@Nullable Expression condition, @Nullable Expression unless, Type returnType, boolean optional) {
	}

	/**
	 * A compiled {@link EvictTags}.
	 *
	 * @param tags the tag expressions
	 * @param beforeInvocation whether to invalidate before the method runs
	 */
	public record Eviction(List<Expression> tags, boolean beforeInvocation) {
	}

}
