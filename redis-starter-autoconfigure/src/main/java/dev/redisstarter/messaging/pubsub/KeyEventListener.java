package dev.redisstarter.messaging.pubsub;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

import dev.redisstarter.core.HandlerReflectiveProcessor;

/**
 * Calls a bean method for keyevent notifications ({@code __keyevent@<db>__:<event>}), on a single server and
 * on every master of a Cluster (notifications are published only by the node that holds the key), each event
 * once. The method takes one parameter: a {@link KeyEvent} or the key as a {@code String}.
 * <pre class="code">
 * &#64;KeyEventListener(events = "expired", keys = "shop:cart:*")
 * void cartExpired(KeyEvent event) { ... }
 * </pre>
 * The server must publish the events: {@code notify-keyspace-events} has to include {@code E} and the event's
 * class ({@code x} for expired, {@code g} for del/expire/rename, {@code $} for set, or {@code A}). The starter
 * checks each node as it subscribes and logs a warning naming the flags that are missing; with
 * {@code redis.starter.messaging.keyspace.configure-server=true} it sets them itself. Keys are matched as
 * given (the key prefix is not added). Like all pub/sub, notifications are at-most-once: none are delivered
 * while the subscription is down, and an expired event comes when Redis notices the expiry, not exactly at it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(HandlerReflectiveProcessor.class)
public @interface KeyEventListener {

	/**
	 * The events, such as {@code expired}, {@code del}, {@code set}; {@code *} for all.
	 * @return the event names
	 */
	String[] events() default { "expired" };

	/**
	 * A glob the key must match ({@code *}, {@code ?}, {@code [...]}, as Redis reads globs).
	 * @return the glob; all keys by default
	 */
	String keys() default "*";

	/**
	 * The listener's id, for meters, threads and {@code redis.starter.messaging.listeners.<id>}.
	 * @return the id; {@code SimpleClassName.method} when empty
	 */
	String id() default "";

}
