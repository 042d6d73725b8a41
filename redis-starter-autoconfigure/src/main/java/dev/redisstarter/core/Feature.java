package dev.redisstarter.core;

/**
 * The capabilities that write keys, each with the segment that follows the key prefix.
 */
public enum Feature {

	/** Cached values and tag versions. */
	CACHE("cache"),

	/** Sessions and per-user session indexes. */
	SESSION("session"),

	/** Rate-limit counters, logs and buckets. */
	RATE_LIMIT("ratelimit"),

	/** Locks and fencing counters. */
	LOCK("lock"),

	/** Streams. */
	STREAM("stream"),

	/** Job queues. */
	QUEUE("queue"),

	/** Leaderboards. */
	LEADERBOARD("lb");

	private final String segment;

	Feature(String segment) {
		this.segment = segment;
	}

	/**
	 * The key segment of this feature, such as {@code cache}.
	 * @return the segment, without separators
	 */
	public String segment() {
		return this.segment;
	}

}
