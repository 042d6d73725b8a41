package dev.redisstarter.cache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Invalidates cache tags when a bean method returns normally (or before it runs):
 * <pre class="code">
 * &#64;EvictTags({"'product:' + #id"})
 * void update(long id, ProductChange change) { ... }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EvictTags {

	/**
	 * SpEL expressions over the arguments (and {@code #result}, after invocation) giving the tags.
	 * @return the tag expressions
	 */
	String[] value();

	/**
	 * Whether to invalidate before the method runs (also when it then throws).
	 * @return whether to invalidate first
	 */
	boolean beforeInvocation() default false;

}
