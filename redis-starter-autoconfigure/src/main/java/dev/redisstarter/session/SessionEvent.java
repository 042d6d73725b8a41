package dev.redisstarter.session;

import org.springframework.context.ApplicationEvent;

/**
 * Something happened to a session: published as a Spring application event.
 */
public class SessionEvent extends ApplicationEvent {

	private final Kind kind;

	private final String sessionId;

	private final String userId;

	/**
	 * An event.
	 * @param source the service
	 * @param kind what happened
	 * @param sessionId the session
	 * @param userId its user
	 */
	public SessionEvent(Object source, Kind kind, String sessionId, String userId) {
		super(source);
		this.kind = kind;
		this.sessionId = sessionId;
		this.userId = userId;
	}

	/**
	 * What happened.
	 * @return the kind
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * The session's id.
	 * @return the id
	 */
	public String getSessionId() {
		return this.sessionId;
	}

	/**
	 * The session's user ({@code ""} when unknown, for an id found ended on read).
	 * @return the user id
	 */
	public String getUserId() {
		return this.userId;
	}

	@Override
	public String toString() {
		return "SessionEvent[" + this.kind + ", " + this.userId + "]";
	}

	/** What happened to a session. */
	public enum Kind {

		/** Created. */
		CREATED,

		/** Ended by destroy or destroy-all. */
		DESTROYED,

		/** Ended to make room under the per-user limit. */
		EVICTED,

		/** Found past its absolute lifetime when read, and removed. */
		EXPIRED

	}

}
