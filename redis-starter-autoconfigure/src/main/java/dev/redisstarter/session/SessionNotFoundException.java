package dev.redisstarter.session;

/**
 * No live session has the given id. The id is a bearer token, so it is kept out of the message (and so out of
 * logs); in Spring MVC this answers 401.
 */
public class SessionNotFoundException extends RuntimeException {

	/**
	 * A missing session.
	 * @param id the id asked for (not kept: it is a secret)
	 */
	public SessionNotFoundException(String id) {
		super("No live session with the given id");
	}

}
