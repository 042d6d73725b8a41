package dev.redisstarter.session;

import dev.redisstarter.core.Masking;

/** A user already has the most sessions allowed, and the limit policy refuses new ones. */
public class SessionLimitExceededException extends RuntimeException {

	/**
	 * A refusal.
	 * @param userId the user
	 * @param limit the limit
	 */
	public SessionLimitExceededException(String userId, int limit) {
		super("User " + Masking.mask(userId) + " already has " + limit + " sessions, the most allowed (redis.starter.session.max-per-user)");
	}

}
