package dev.redisstarter.messaging.queue;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

import dev.redisstarter.core.HandlerReflectiveProcessor;

/**
 * Enqueues a job for this {@link JobHandler} method's queue at every tick of a cron expression or a fixed rate,
 * exactly once per tick across all instances of the application that share the Redis:
 * <pre class="code">
 * &#64;JobSchedule(name = "daily-digest", cron = "0 0 7 * * *", zone = "Europe/Paris")
 * &#64;JobHandler(queue = "digests")
 * void sendDigest(Object payload) { ... }
 * </pre>
 * Every instance runs the schedule and, at each tick, one script on the queue's node decides which of them
 * enqueues. Attribute values may hold {@code ${...}} placeholders. The job's id is
 * {@code schedule:<name>:<tick in epoch ms>}; it takes the queue's attempts, backoff and attempt timeout. A
 * schedule declared under {@code redis.starter.queue.schedules.<name>} works the same, for any queue.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(HandlerReflectiveProcessor.class)
public @interface JobSchedule {

	/**
	 * The schedule's name, unique among the application's schedules; its state in Redis is kept under it, so a
	 * renamed schedule starts afresh.
	 * @return the name (no braces)
	 */
	String name();

	/**
	 * A Spring cron expression of six fields (second, minute, hour, day of month, month, day of week), such as
	 * {@code 0 0 7 * * *} or {@code @daily}; {@code -} turns the schedule off. Set exactly one of this and
	 * {@link #fixedRate()}.
	 * @return the expression, or empty
	 */
	String cron() default "";

	/**
	 * The time zone of {@link #cron()}, such as {@code Europe/Paris}; UTC when empty.
	 * @return the zone's id, or empty
	 */
	String zone() default "";

	/**
	 * A fixed rate ({@code 30s}, {@code 5m}, {@code PT1H}): ticks at every multiple of it since the epoch (UTC),
	 * so all instances agree on them whenever they start. Set exactly one of this and {@link #cron()}.
	 * @return the rate, or empty
	 */
	String fixedRate() default "";

	/**
	 * The payload of each job, as JSON text, read as the handler's payload type.
	 * @return JSON, {@code null} by default
	 */
	String payload() default "null";

	/**
	 * What to do about ticks missed while no instance ran.
	 * @return the policy, {@link MissedTicks#SKIP} by default
	 */
	MissedTicks missed() default MissedTicks.SKIP;

}
