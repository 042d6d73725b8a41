package dev.redisstarter.ratelimit;

import java.util.ArrayList;
import java.util.List;

/**
 * One limit's part of what {@code decide.lua} returns (4 integers per limit), by name (its header is the contract).
 * @param status {@link #ALLOWED}, {@link #REJECTED} or {@link #BLOCKED}
 * @param remaining what is left of the limit
 * @param resetAfterMicros microseconds until the limit is fully available again
 * @param retryAfterMicros microseconds until this request could pass (0 when allowed)
 */
record DecisionReply(long status, long remaining, long resetAfterMicros, long retryAfterMicros) {

	static final long REJECTED = 0;

	static final long ALLOWED = 1;

	static final long BLOCKED = 2;

	/** How many integers each limit takes in the reply. */
	private static final int WIDTH = 4;

	/** One per limit, in the order the limits were passed. */
	static List<DecisionReply> of(List<?> reply) {
		List<DecisionReply> decisions = new ArrayList<>(reply.size() / WIDTH);
		for (int i = 0; i + WIDTH <= reply.size(); i += WIDTH) {
			decisions.add(new DecisionReply((Long) reply.get(i), (Long) reply.get(i + 1), (Long) reply.get(i + 2),
					(Long) reply.get(i + 3)));
		}
		return decisions;
	}

	boolean allowed() {
		return this.status == ALLOWED;
	}

	RateLimitResult.Decision decision() {
		return (this.status == ALLOWED) ? RateLimitResult.Decision.ALLOWED
				: (this.status == BLOCKED) ? RateLimitResult.Decision.BLOCKED : RateLimitResult.Decision.REJECTED;
	}

}
