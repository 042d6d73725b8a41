package dev.redisstarter.autoconfigure.other;

import dev.redisstarter.ratelimit.RateLimited;

/** A class with the same simple name as one in another package, each with an inline limit. */
public class Overloads {

	/**
	 * Limited to once an hour, on its own bucket.
	 * @param value ignored
	 */
	@RateLimited(limit = 1, window = "1h", key = "'same'")
	public void call(String value) {
	}

}
