package dev.redisstarter.core;

/**
 * Data taken from a caller is over one of the starter's bounds (a session's size, a user id's or a leaderboard
 * member's length, a payload's size): nothing was written to Redis. The message names the bound and its property
 * and gives the size, never the data itself, so that it is safe to log and to answer (the starter's web support
 * answers it 413 Content Too Large as an RFC 9457 problem).
 */
public class InputLimitExceededException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String what;

	private final long size;

	private final long limit;

	private final String property;

	/**
	 * The failure.
	 * @param what what was too large, in words ("session data", "a session user id")
	 * @param size its size, in {@code unit}
	 * @param limit the bound, in {@code unit}
	 * @param unit "bytes" or "characters"
	 * @param property the property that sets the bound
	 */
	public InputLimitExceededException(String what, long size, long limit, String unit, String property) {
		super(what + " of " + size + " " + unit + " is over the limit of " + limit + " " + unit + " (" + property + ")");
		this.what = what;
		this.size = size;
		this.limit = limit;
		this.property = property;
	}

	/**
	 * What was too large.
	 * @return in words
	 */
	public String getWhat() {
		return this.what;
	}

	/**
	 * Its size.
	 * @return in the unit of the message
	 */
	public long getSize() {
		return this.size;
	}

	/**
	 * The bound.
	 * @return in the unit of the message
	 */
	public long getLimit() {
		return this.limit;
	}

	/**
	 * The property that sets the bound.
	 * @return such as {@code redis.starter.session.max-size}
	 */
	public String getProperty() {
		return this.property;
	}

}
