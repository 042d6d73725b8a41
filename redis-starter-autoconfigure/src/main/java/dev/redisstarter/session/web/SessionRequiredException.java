package dev.redisstarter.session.web;

/** A request needed a live session and had none (missing, unknown or ended): answered 401. */
public class SessionRequiredException extends RuntimeException {

	/**
	 * A refusal.
	 * @param reason why no session was found
	 */
	public SessionRequiredException(String reason) {
		super(reason);
	}

}
