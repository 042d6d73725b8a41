package dev.redisstarter.lock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a bean method holding permits of a {@link DistributedSemaphore}:
 * <pre class="code">
 * &#64;WithPermit(key = "'exports'", limit = 4, waitTime = "1s")   // at most 4 exports at once, across instances
 * byte[] export(String customer) { ... }
 * </pre>
 * The permits are given back when the method returns or throws. When they are not acquired within the wait,
 * {@link PermitsNotAcquiredException} (a {@link LockNotAcquiredException}) is thrown and the method does not run (in
 * Spring MVC, 409 as for {@link WithLock}). The key expression is parsed when the bean is created.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WithPermit {

	/**
	 * SpEL over the method's arguments by name, giving the semaphore's name.
	 * @return the key expression
	 */
	String key();

	/**
	 * How many permits the semaphore has; 0 for {@code redis.starter.lock.default-permits}.
	 * @return the limit
	 */
	int limit() default 0;

	/**
	 * How many permits a call takes.
	 * @return the permits
	 */
	int permits() default 1;

	/**
	 * How long to wait ({@code 500ms}, {@code 5s}, {@code PT1M}); empty for {@code redis.starter.lock.default-wait}.
	 * @return the wait
	 */
	String waitTime() default "";

	/**
	 * A fixed lease, not renewed; empty for the default lease, renewed while the method runs.
	 * @return the lease
	 */
	String lease() default "";

}
