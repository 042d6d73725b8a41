package dev.redisstarter.session;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions in Redis with a per-user index that never leaks, sliding and absolute expiry, and a per-user
 * limit. Every method is one round trip, and every change is atomic.
 */
public interface SessionService {

	/**
	 * Creates a session for a user, with a fresh unguessable id.
	 * @param userId the user
	 * @param data the first attributes; each value is stored as JSON
	 * @return the session
	 * @throws SessionLimitExceededException when the user has the most sessions allowed and the policy refuses
	 */
	Session create(String userId, Map<String, ?> data);

	/**
	 * Reads a session, sliding its idle expiry (unless {@code touch-on-read} is off), never past its
	 * absolute lifetime.
	 * @param id the session id
	 * @return the session, or empty when it does not exist, has ended, or cannot be read
	 */
	Optional<Session> get(String id);

	/**
	 * Merges attributes into a session: the named ones are set (a {@code null} value removes one), the
	 * others are kept.
	 * @param id the session id
	 * @param data the attributes to set
	 * @return the session afterwards
	 * @throws SessionNotFoundException when there is no such live session
	 */
	Session update(String id, Map<String, ?> data);

	/**
	 * Replaces all of a session's attributes.
	 * @param id the session id
	 * @param data the new attributes
	 * @return the session afterwards
	 * @throws SessionNotFoundException when there is no such live session
	 */
	Session replace(String id, Map<String, ?> data);

	/**
	 * Slides a session's idle expiry, whatever {@code touch-on-read} says.
	 * @param id the session id
	 * @return the session
	 * @throws SessionNotFoundException when there is no such live session
	 */
	Session refresh(String id);

	/**
	 * Gives a session a new id (after login or a privilege change, against session fixation); the old id
	 * stops working.
	 * @param id the current id
	 * @return the session under its new id
	 * @throws SessionNotFoundException when there is no such live session
	 */
	Session rotate(String id);

	/**
	 * Ends a session.
	 * @param id the session id
	 * @return whether a live session was ended
	 */
	boolean destroy(String id);

	/**
	 * Ends every session of a user, atomically.
	 * @param userId the user
	 * @return how many live sessions were ended
	 */
	int destroyAllForUser(String userId);

	/**
	 * A user's live sessions, oldest first.
	 * @param userId the user
	 * @return the sessions
	 */
	List<Session> listForUser(String userId);

}
