package dev.redisstarter.session;

import dev.redisstarter.core.RedisUnavailableException;

/** Redis could not be reached within the command timeout, so no session could be read or changed. */
public class SessionStoreUnavailableException extends RedisUnavailableException {

	/**
	 * A failure.
	 * @param operation what was attempted
	 * @param cause what the client reported
	 */
	public SessionStoreUnavailableException(String operation, Throwable cause) {
		super("Cannot " + operation + ": Redis is unavailable (" + cause.getMessage() + ")", cause);
	}

}
