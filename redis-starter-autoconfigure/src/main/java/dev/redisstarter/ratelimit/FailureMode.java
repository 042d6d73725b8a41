package dev.redisstarter.ratelimit;

/** What a limit decides when Redis cannot be reached within the command timeout. */
public enum FailureMode {

	/** Allow the request: availability before protection (the default). */
	FAIL_OPEN,

	/** Reject the request: protection before availability. */
	FAIL_CLOSED

}
