package dev.redisstarter.ratelimit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits calls of a bean method. Name a policy from {@code redis.starter.ratelimit.policies}, or give an
 * inline {@link #limit()} and {@link #window()}:
 * <pre class="code">
 * &#64;RateLimited(policy = "api")                                   // per client address on a controller
 * &#64;RateLimited(limit = 5, window = "1m", key = "#email")          // per argument
 * </pre>
 * A rejected call throws {@link RateLimitExceededException}; on a Spring MVC controller it becomes a 429
 * response with {@code Retry-After} and the rate-limit headers. Several annotations on one method with the
 * same {@link #key()} are checked together, all or nothing; with different keys, one after the other.
 * Expressions are parsed, and policies resolved, when the bean is created: a mistake stops start-up.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(RateLimited.List.class)
public @interface RateLimited {

	/**
	 * The name of a policy under {@code redis.starter.ratelimit.policies}; empty for an inline limit.
	 * @return the policy name
	 */
	String policy() default "";

	/**
	 * Inline limit: requests per {@link #window()} (for a token bucket, its capacity).
	 * @return the limit, 0 when a policy is named
	 */
	long limit() default 0;

	/**
	 * Inline limit: the window, such as {@code 10s}, {@code 1m} or {@code PT1H}.
	 * @return the window
	 */
	String window() default "";

	/**
	 * Inline limit: the algorithm.
	 * @return the algorithm, fixed window by default
	 */
	Algorithm algorithm() default Algorithm.FIXED_WINDOW;

	/**
	 * SpEL over the method's arguments by name ({@code #userId}, {@code #request.remoteAddr}) and, in a web
	 * request, {@code #clientAddress}, {@code #principalName} and {@code #headers['X-Api-Key']}. Empty: the
	 * client address in a web request, else one key for all callers.
	 * @return the key expression
	 */
	String key() default "";

	/**
	 * The permits one call takes.
	 * @return the cost, at least 1
	 */
	long permits() default 1;

	/** Holds repeated {@link RateLimited} annotations. */
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@interface List {

		RateLimited[] value();

	}

}
