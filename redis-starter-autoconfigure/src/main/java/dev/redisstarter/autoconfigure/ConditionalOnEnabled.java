package dev.redisstarter.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when a boolean property is {@code true} or absent (or, with {@code matchIfMissing = false}, only when it
 * is {@code true}), and stops start-up, naming the property, when it holds anything but {@code true} or
 * {@code false}: a misspelled {@code flase} must not silently switch a capability off.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnEnabledCondition.class)
@interface ConditionalOnEnabled {

	/**
	 * The properties, such as {@code redis.starter.cache.enabled}; all must be on.
	 * @return their names
	 */
	String[] value();

	/**
	 * Whether an absent property matches.
	 * @return true by default
	 */
	boolean matchIfMissing() default true;

}
