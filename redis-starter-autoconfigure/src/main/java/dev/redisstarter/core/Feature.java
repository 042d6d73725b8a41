package dev.redisstarter.core;

/**
 * The capabilities that write keys, each with the segment that follows the key prefix.
 */
public enum Feature {

	/** Cached values and tag versions. */
	CACHE("cache", "cache"),

	/** Sessions and per-user session indexes. */
	SESSION("session", "session"),

	/** Rate-limit counters, logs and buckets. */
	RATE_LIMIT("ratelimit", "ratelimit"),

	/** Locks and fencing counters. */
	LOCK("lock", "lock"),

	/** Pub/sub channels (prefixed like keys; they hold no data). */
	MESSAGING("messaging", "messaging"),

	/** Streams. */
	STREAM("stream", "stream"),

	/** Job queues. */
	QUEUE("queue", "queue"),

	/** Leaderboards. */
	LEADERBOARD("lb", "leaderboard"),

	/** The operations console's reads and actions (it writes no keys of its own). */
	CONSOLE("console", "console"),

	/**
	 * The application's own commands, run through the {@link RedisCalls} bean under the starter's deadline and
	 * circuit (the starter writes no keys of its own under this segment).
	 */
	APPLICATION("app", "application");

	private final String segment;

	private final String propertyName;

	Feature(String segment, String propertyName) {
		this.segment = segment;
		this.propertyName = propertyName;
	}

	/**
	 * The name of this feature's group under {@code redis.starter}, such as {@code ratelimit}: the same word as
	 * its meters and its package.
	 * @return the property group
	 */
	public String propertyName() {
		return this.propertyName;
	}

	/**
	 * The name this feature's meters start with, such as {@code redis.starter.ratelimit}.
	 * @return the meter name prefix, without a trailing dot
	 */
	public String meterPrefix() {
		return "redis.starter." + this.propertyName;
	}

	/**
	 * The property that bounds each of this feature's calls, such as {@code redis.starter.stream.timeout}; named in
	 * deadline messages, so it must be a property the starter binds.
	 * @return the full property name
	 */
	public String timeoutProperty() {
		return "redis.starter." + this.propertyName + ".timeout";
	}

	/**
	 * The key segment of this feature, such as {@code cache}.
	 * @return the segment, without separators
	 */
	public String segment() {
		return this.segment;
	}

}
