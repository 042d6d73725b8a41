package dev.redisstarter.messaging.queue;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a {@code @JobHandler}'s worker is doing; shown in lower case by health and the Actuator endpoint. */
public enum WorkerStatus {

	/** Taking and running jobs. */
	RUNNING,

	/** Waiting for Redis to answer again. */
	WAITING,

	/** Backing off (a queue pause, a rate-limit window, or its handler's circuit), still connected. */
	PAUSED,

	/** Not started, or stopped. */
	STOPPED;

	/**
	 * Whether the worker is connected and will take jobs again by itself: running or paused.
	 * @return true unless waiting for Redis or stopped
	 */
	public boolean isTaking() {
		return this == RUNNING || this == PAUSED;
	}

	/**
	 * The status as health and the Actuator endpoint show it.
	 * @return the lower-case name
	 */
	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return wireName();
	}

}
