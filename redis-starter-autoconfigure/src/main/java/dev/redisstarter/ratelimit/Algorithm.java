package dev.redisstarter.ratelimit;

/** The rate-limiting algorithms; each decision is one Lua script run on the Redis server. */
public enum Algorithm {

	/** A counter per fixed window: cheap, but allows up to twice the limit across a window boundary. */
	FIXED_WINDOW("fw"),

	/** The exact sliding window: a sorted set of request times. Memory grows with the limit. */
	SLIDING_LOG("sl"),

	/**
	 * The weighted two-window approximation of a sliding window: constant memory. It assumes the previous
	 * window's requests were spread evenly; if they all came at its very end, a sliding window of the same
	 * length can see up to (just under) twice the limit. Within each fixed window it never admits more
	 * than the limit.
	 */
	SLIDING_WINDOW("sw"),

	/** A bucket of {@code capacity} tokens refilled continuously at a rate (fractional rates allowed). */
	TOKEN_BUCKET("tb"),

	/** The generic cell rate algorithm: one stored time per key, smooth spacing with a burst allowance. */
	GCRA("gcra");

	private final String code;

	Algorithm(String code) {
		this.code = code;
	}

	String code() {
		return this.code;
	}

}
