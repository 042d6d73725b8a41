package dev.redisstarter.messaging.stream;

import java.util.List;
import java.util.Optional;

import org.springframework.data.redis.connection.stream.RecordId;

/**
 * The dead letters of streams: entries that failed {@code max-deliveries} times, or whose payload could not be
 * read, kept in {@code <prefix>stream:{<name>}:dead} (bounded by {@code dead-letter-max-length}).
 */
public interface DeadLetters {

	/**
	 * The oldest dead letters of a stream.
	 * @param stream the stream's name
	 * @param limit at most this many
	 * @return the dead letters, oldest first
	 */
	List<DeadLetter> list(String stream, int limit);

	/**
	 * The oldest dead letters of a stream, for a page or an endpoint: every field (the payload, the error's message,
	 * the entry's own fields) cut to {@code previewChars} characters before it leaves Redis, so that a list of large
	 * entries stays small.
	 * @param stream the stream's name
	 * @param limit at most this many
	 * @param previewChars characters kept of each field, 1 or more
	 * @return the dead letters, oldest first
	 * @throws IllegalArgumentException when {@code limit} or {@code previewChars} is not positive
	 */
	List<DeadLetter> preview(String stream, int limit, int previewChars);

	/**
	 * How many dead letters a stream has.
	 * @param stream the stream's name
	 * @return the count
	 */
	long count(String stream);

	/** Which groups a replayed dead letter is for. */
	enum Target {

		/** Only the group that gave it up: the consumers of the other groups acknowledge and skip it (counted). */
		FAILED_GROUP,

		/** Every group of the stream, as a new entry would be. */
		ALL_GROUPS

	}

	/**
	 * Puts a dead letter back into its stream as a new entry (with its payload and fields) for the group that gave it
	 * up, and removes it from the dead letters, atomically. The new entry carries the id the entry first had
	 * ({@link StreamDelivery#originalId()}).
	 * @param stream the stream's name
	 * @param deadLetterId the dead letter's id
	 * @return the new entry's id, or empty when there is no such dead letter
	 * @throws IllegalArgumentException when {@code deadLetterId} is not a stream entry id
	 */
	default Optional<RecordId> replay(String stream, String deadLetterId) {
		return replay(stream, deadLetterId, Target.FAILED_GROUP);
	}

	/**
	 * Puts a dead letter back into its stream as a new entry (with its payload and fields) and removes it from
	 * the dead letters, atomically. The new entry carries the id the entry first had
	 * ({@link StreamDelivery#originalId()}).
	 * @param stream the stream's name
	 * @param deadLetterId the dead letter's id
	 * @param target the group that gave it up, or every group
	 * @return the new entry's id, or empty when there is no such dead letter
	 * @throws IllegalArgumentException when {@code deadLetterId} is not a stream entry id
	 */
	Optional<RecordId> replay(String stream, String deadLetterId, Target target);

	/**
	 * Replays every dead letter a stream had when the call started, oldest first, each once: letters that fail again
	 * during the call (dead-lettered anew) are not replayed again by it.
	 * Each goes to the group that gave it up ({@link Target#FAILED_GROUP}).
	 * @param stream the stream's name
	 * @return how many were replayed
	 */
	default int replayAll(String stream) {
		return replayAll(stream, Target.FAILED_GROUP);
	}

	/**
	 * Replays every dead letter a stream had when the call started, oldest first, each once (see
	 * {@link #replayAll(String)}).
	 * @param stream the stream's name
	 * @param target the group that gave each up, or every group
	 * @return how many were replayed
	 */
	int replayAll(String stream, Target target);

	/**
	 * Deletes every dead letter of a stream.
	 * @param stream the stream's name
	 * @return how many there were
	 */
	long purge(String stream);

}
