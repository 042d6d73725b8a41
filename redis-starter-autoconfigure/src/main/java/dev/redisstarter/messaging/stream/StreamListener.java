package dev.redisstarter.messaging.stream;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

import dev.redisstarter.core.HandlerReflectiveProcessor;

/**
 * Consumes a stream with a consumer group, on a bean method:
 * <pre class="code">
 * &#64;StreamListener(stream = "orders", group = "billing", concurrency = 4)
 * void bill(Order order) { ... }                                  // acknowledged after it returns
 *
 * &#64;StreamListener(stream = "orders", group = "audit", batch = true)
 * void audit(List&lt;Order&gt; orders) { ... }                        // up to read-count entries at once
 *
 * &#64;StreamListener(stream = "prices", broadcast = true)
 * void price(Price price, StreamDelivery delivery) { ... }         // every instance, replayed after a restart
 * </pre>
 * The method takes the payload (read from the entry's {@code payload} field with the application's
 * {@code JsonMapper}, generic types included), optionally followed by a {@link StreamDelivery} (id, delivery
 * count, fields); the batch form takes a {@code List} of payloads, optionally followed by a
 * {@code List<StreamDelivery>}. The group is created when missing ({@code MKSTREAM}). Entries are acknowledged
 * after the method returns (at-least-once); an exception leaves the entry pending and it is delivered again
 * after a backoff, up to {@code max-deliveries}, then moved to the dead-letter stream.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(HandlerReflectiveProcessor.class)
public @interface StreamListener {

	/**
	 * The stream's name (the key is {@code <prefix>stream:{<name>}}). Placeholders are resolved.
	 * @return the name
	 */
	String stream();

	/**
	 * The consumer group; every group receives every entry, and within a group each entry goes to one consumer.
	 * Empty for the application's name ({@code spring.application.name}, else {@code "default"}).
	 * @return the group
	 */
	String group() default "";

	/**
	 * How many entries the method handles at once in this instance; 0 for
	 * {@code redis.starter.stream.concurrency}.
	 * @return the concurrency
	 */
	int concurrency() default 0;

	/**
	 * Whether the method takes a list of entries (up to {@code read-count}); a failure fails every entry of the
	 * list, each retried on its own.
	 * @return true for the batch form
	 */
	boolean batch() default false;

	/**
	 * A durable topic: every instance receives every entry (each in a group of its own,
	 * {@code <group>:<instance-id>}), and an instance that was away replays what it missed while the stream
	 * retained it; a longer absence is reported as a gap.
	 * @return true for broadcast
	 */
	boolean broadcast() default false;

	/**
	 * At-most-once instead of at-least-once: entries are read with {@code NOACK} and never retried. Only for
	 * data that may be lost.
	 * @return true to give up redelivery
	 */
	boolean atMostOnce() default false;

	/**
	 * The listener's id, for meters and thread names; {@code SimpleClassName.method} when empty.
	 * @return the id
	 */
	String id() default "";

}
