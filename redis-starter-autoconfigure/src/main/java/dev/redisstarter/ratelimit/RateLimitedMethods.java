package dev.redisstarter.ratelimit;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;

import dev.redisstarter.core.AnnotatedMethods;
import dev.redisstarter.core.AnnotationExpressions;
import dev.redisstarter.core.Durations;
import dev.redisstarter.core.InvalidAnnotationException;

/**
 * Reads the {@link RateLimited} annotations of a method once: resolves policies, builds inline limits and
 * parses key expressions, throwing a message that names the method when any of it is wrong. Called by the
 * advisor's pointcut while beans are created, so mistakes stop start-up; the interceptor reuses the result.
 */
public final class RateLimitedMethods {

	private final Supplier<RateLimitPolicies> policies;

	/** The variables the web context offers keys, known even before the contexts are (their own list adds to it). */
	private static final List<String> WEB_VARIABLES = List.of("clientAddress", "principalName", "headers");

	private final Supplier<? extends Collection<String>> contextVariables;

	private final AnnotationExpressions expressions = new AnnotationExpressions();

	private final AnnotatedMethods<RateLimitedMethod> methods = new AnnotatedMethods<>(this::read);

	/**
	 * Reads methods against the given policies.
	 * @param policies the named policies, looked up when the first annotated method is read
	 */
	public RateLimitedMethods(Supplier<RateLimitPolicies> policies) {
		this(policies, List::of);
	}

	/**
	 * A reader that also accepts the variables of the application's {@link RateLimitContext}s in key expressions.
	 * @param policies the named policies, looked up when a method names one
	 * @param contextVariables the names of the variables the contexts offer
	 */
	public RateLimitedMethods(Supplier<RateLimitPolicies> policies,
			Supplier<? extends Collection<String>> contextVariables) {
		this.policies = policies;
		this.contextVariables = contextVariables;
	}

	/**
	 * The limits of a method, read once.
	 * @param method the invoked method
	 * @param targetClass the class of the target bean
	 * @return the compiled limits, or empty when the method is not rate limited
	 */
	public Optional<RateLimitedMethod> find(Method method, @Nullable Class<?> targetClass) {
		return this.methods.find(method, targetClass);
	}

	/**
	 * The cache behind {@link #find}, for the advisor.
	 * @return the annotated methods
	 */
	AnnotatedMethods<RateLimitedMethod> annotated() {
		return this.methods;
	}

	private Optional<RateLimitedMethod> read(Method method) {
		Set<RateLimited> annotations = AnnotatedElementUtils.findMergedRepeatableAnnotations(method, RateLimited.class);
		if (annotations.isEmpty()) {
			return Optional.empty();
		}
		String description = method.getDeclaringClass().getSimpleName() + "." + method.getName();
		try {
			Map<String, RateLimitedMethod.Group> groups = new LinkedHashMap<>();
			int inline = 0;
			for (RateLimited annotation : annotations) {
				List<RateLimit> limits = limits(annotation, method, description, inline);
				if (annotation.policy().isEmpty()) {
					inline++;
				}
				if (annotation.permits() < 1) {
					throw new IllegalArgumentException("permits must be at least 1, was " + annotation.permits());
				}
				for (RateLimit limit : limits) {
					if (limit.algorithm() == Algorithm.SLIDING_LOG
							&& annotation.permits() > RedisRateLimiter.MAX_SLIDING_LOG_PERMITS) {
						throw new IllegalArgumentException("permits " + annotation.permits() + " exceed the "
								+ RedisRateLimiter.MAX_SLIDING_LOG_PERMITS + " a sliding log takes per request ('"
								+ limit.name() + "'): use a sliding window or a token bucket");
					}
				}
				String groupKey = annotation.key() + "\u0000" + annotation.permits();
				RateLimitedMethod.Group group = groups.get(groupKey);
				if (group == null) {
					groups.put(groupKey, new RateLimitedMethod.Group(annotation.key(), parse(annotation.key(), method), limits,
							annotation.permits()));
				}
				else {
					List<RateLimit> combined = new ArrayList<>(group.limits());
					combined.addAll(limits);
					groups.put(groupKey, new RateLimitedMethod.Group(group.keySource(), group.key(), combined,
							group.permits()));
				}
			}
			return Optional.of(new RateLimitedMethod(description, List.copyOf(groups.values())));
		}
		catch (IllegalArgumentException | ParseException ex) {
			throw new InvalidAnnotationException("@RateLimited", method, ex.getMessage(), ex);
		}
	}

	/**
	 * The name of a method's inline limit: its class's full name, the method and its parameter types, fully
	 * qualified but for {@code java.lang} ({@code com.example.Orders.place(String,int,com.example.Item)}), so that
	 * same-named classes in other packages and overloads never share a bucket.
	 */
	static String inlineName(Method method) {
		StringBuilder name = new StringBuilder(method.getDeclaringClass().getName()).append('.')
			.append(method.getName())
			.append('(');
		Class<?>[] parameters = method.getParameterTypes();
		for (int i = 0; i < parameters.length; i++) {
			String type = parameters[i].getTypeName();
			name.append((i > 0) ? "," : "").append(type.startsWith("java.lang.") ? parameters[i].getSimpleName() : type);
		}
		return name.append(')').toString();
	}

	private List<RateLimit> limits(RateLimited annotation, Method method, String description, int inlineIndex) {
		if (!annotation.policy().isEmpty()) {
			if (annotation.limit() != 0 || !annotation.window().isEmpty()) {
				throw new IllegalArgumentException("name a policy or give limit and window, not both");
			}
			return this.policies.get().get(annotation.policy());
		}
		if (annotation.limit() < 1 || annotation.window().isEmpty()) {
			throw new IllegalArgumentException("name a policy, or give limit (at least 1) and window");
		}
		Duration window = Durations.parse(annotation.window());
		String name = inlineName(method) + ((inlineIndex > 0) ? "#" + inlineIndex : "");
		RateLimit limit = switch (annotation.algorithm()) {
			case FIXED_WINDOW -> RateLimit.fixedWindow(annotation.limit(), window);
			case SLIDING_LOG -> RateLimit.slidingLog(annotation.limit(), window);
			case SLIDING_WINDOW -> RateLimit.slidingWindow(annotation.limit(), window);
			case TOKEN_BUCKET -> RateLimit.tokenBucket(annotation.limit(), annotation.limit(), window);
			case GCRA -> RateLimit.gcra(annotation.limit(), window);
		};
		return List.of(limit.withName(name));
	}

	private @Nullable Expression parse(String key, Method method) {
		if (key.isEmpty()) {
			return null;
		}
		Set<String> variables = new HashSet<>(WEB_VARIABLES);
		variables.addAll(this.contextVariables.get());
		return this.expressions.parse(key, method, variables);
	}

	/**
	 * The limits of one rate-limited method.
	 *
	 * @param description {@code Class.method}, for messages
	 * @param groups the limits grouped by key expression; each group is decided in one step
	 */
	public record RateLimitedMethod(String description, List<Group> groups) {

		/**
		 * Limits sharing one key.
		 *
		 * @param keySource the key expression as written, for messages
		 * @param key the parsed key expression, or {@code null} for the default key
		 * @param limits the limits, checked together
		 * @param permits the cost of one call
		 */
		public record Group(String keySource, @Nullable Expression key, List<RateLimit> limits, long permits) {
		}

	}

}
