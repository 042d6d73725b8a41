package dev.redisstarter.session;

/** No live session has the given id. */
public class SessionNotFoundException extends RuntimeException {

	/**
	 * A missing session.
	 * @param id the id asked for
	 */
	public SessionNotFoundException(String id) {
		super("No live session with id '" + id + "'");
	}

}
