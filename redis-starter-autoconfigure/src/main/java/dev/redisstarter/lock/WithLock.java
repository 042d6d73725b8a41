package dev.redisstarter.lock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a bean method under a distributed lock:
 * <pre class="code">
 * &#64;WithLock(key = "'order:' + #orderId", waitTime = "5s")
 * void ship(String orderId, FencingToken token) { ... }     // token: pass null, receive the lease's token
 * </pre>
 * The lock is released when the method returns or throws. A nested call on the same thread and lock name
 * re-enters it. When the lock is not acquired within the wait, {@link LockNotAcquiredException} is thrown and
 * the method does not run. The key expression is parsed when the bean is created.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WithLock {

	/**
	 * SpEL over the method's arguments by name, giving the lock's name.
	 * @return the key expression
	 */
	String key();

	/**
	 * How long to wait for the lock ({@code 500ms}, {@code 5s}, {@code PT1M}); empty for
	 * {@code redis.starter.lock.default-wait}. (Not {@code wait}: Java reserves that name for
	 * {@code Object.wait()}.)
	 * @return the wait
	 */
	String waitTime() default "";

	/**
	 * A fixed lease, not renewed; empty for the default lease, renewed while the method runs.
	 * @return the lease
	 */
	String lease() default "";

}
