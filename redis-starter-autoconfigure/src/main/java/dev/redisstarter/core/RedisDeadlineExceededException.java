package dev.redisstarter.core;

import java.time.Duration;

import org.springframework.dao.QueryTimeoutException;

/**
 * Redis did not answer a capability's call within its deadline ({@code redis.starter.<feature>.timeout}). A
 * {@link QueryTimeoutException}, so every capability's Redis-down policy treats it like any other timeout.
 */
public class RedisDeadlineExceededException extends QueryTimeoutException {

	private final Feature feature;

	private final Duration deadline;

	/**
	 * An expiry.
	 * @param feature the capability whose call it was
	 * @param deadline the deadline that passed
	 */
	public RedisDeadlineExceededException(Feature feature, Duration deadline) {
		super("Redis did not answer the " + feature.segment() + " call within its deadline of " + deadline.toMillis()
				+ " ms (" + feature.timeoutProperty() + ")");
		this.feature = feature;
		this.deadline = deadline;
	}

	/**
	 * The capability.
	 * @return whose call it was
	 */
	public Feature getFeature() {
		return this.feature;
	}

	/**
	 * The deadline.
	 * @return how long the call could take
	 */
	public Duration getDeadline() {
		return this.deadline;
	}

}
