package dev.redisstarter.lock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a bean method under the write lease of a {@link DistributedReadWriteLock}:
 * <pre class="code">
 * &#64;WithWriteLock(key = "'catalogue:' + #region", waitTime = "5s")
 * void reprice(String region, FencingToken token) { ... }   // token: pass null, receive the write lease's token
 * </pre>
 * The lease is released when the method returns or throws. Re-entry follows {@link DistributedReadWriteLock}'s
 * rules (a nested write or read under a write lease re-enters it).
 * When the lease is not acquired within the wait, {@link LockNotAcquiredException} is thrown and the method does not
 * run (in Spring MVC, 409 as for {@link WithLock}). The key expression is parsed when the bean is created.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WithWriteLock {

	/**
	 * SpEL over the method's arguments by name, giving the lock's name.
	 * @return the key expression
	 */
	String key();

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
