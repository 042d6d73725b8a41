package dev.redisstarter.messaging.pubsub;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How the starter dispatches the messages of a {@code @RedisListener} or {@code @KeyEventListener} method.
 * Unset attributes take {@code redis.starter.messaging.listener.*}; {@code redis.starter.messaging.listeners.<id>.*}
 * wins over both.
 * <pre class="code">
 * &#64;RedisListener("prices")
 * &#64;ListenerOptions(concurrency = 4, whenFull = WhenFull.DROP)
 * void onPrice(Price price) { ... }
 * </pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ListenerOptions {

	/**
	 * How many threads run the method; 0 for the configured default.
	 * @return the concurrency
	 */
	int concurrency() default 0;

	/**
	 * How many received messages may wait; 0 for the configured default.
	 * @return the queue capacity
	 */
	int queueCapacity() default 0;

	/**
	 * What a full queue does; empty for the configured default.
	 * @return at most one policy
	 */
	WhenFull[] whenFull() default {};

	/**
	 * Whether a channel's messages are handled one at a time in publish order; empty for the configured
	 * default (true).
	 * @return at most one value
	 */
	boolean[] ordered() default {};

}
