package dev.redisstarter.messaging.queue;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

import dev.redisstarter.core.HandlerReflectiveProcessor;

/**
 * Runs the queue's jobs with this bean method: {@code void handle(T payload)} or
 * {@code void handle(T payload, JobContext context)}. Returning completes the job; an exception fails the
 * attempt, which is retried after the backoff until the attempts are spent, then dead-lettered. Delivery is at
 * least once: a job runs again when its worker stops renewing the lease before completing it, so handlers
 * should be idempotent ({@link JobContext#id()} is a stable key).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(HandlerReflectiveProcessor.class)
public @interface JobHandler {

	/**
	 * The queue (placeholders resolved).
	 * @return the queue
	 */
	String queue();

	/**
	 * How many jobs this instance runs at once; 0 takes {@code concurrency} of the queue's settings.
	 * @return the concurrency
	 */
	int concurrency() default 0;

	/**
	 * Exceptions that dead-letter the job at once (with subclasses), besides {@link NonRetryableJobException}.
	 * @return the types
	 */
	Class<? extends Throwable>[] noRetryFor() default {};

}
