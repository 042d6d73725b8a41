package dev.redisstarter.messaging.queue;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a job is: waiting to run, delayed (until its run-at time or its next retry), active (leased by a
 * worker), completed, or dead (attempts spent, not worth retrying, or stalled too often).
 */
public enum JobState {

	/** Ready to run, in priority order. */
	WAITING,

	/** Runs later: its run-at time or its retry backoff has not come yet. */
	DELAYED,

	/** Leased by a worker that runs it. */
	ACTIVE,

	/** Its handler returned normally. */
	COMPLETED,

	/** In the dead letters. */
	DEAD;

	/**
	 * The state as it is written in Redis and JSON.
	 * @return the lower-case name
	 */
	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	static JobState of(String wireName) {
		return valueOf(wireName.toUpperCase(Locale.ROOT));
	}

}
