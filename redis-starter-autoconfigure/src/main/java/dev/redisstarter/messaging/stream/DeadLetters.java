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
	 * How many dead letters a stream has.
	 * @param stream the stream's name
	 * @return the count
	 */
	long count(String stream);

	/**
	 * Puts a dead letter back into its stream as a new entry (with its payload and fields) and removes it from
	 * the dead letters, atomically. Every group of the stream receives it again.
	 * @param stream the stream's name
	 * @param deadLetterId the dead letter's id
	 * @return the new entry's id, or empty when there is no such dead letter
	 * @throws IllegalArgumentException when {@code deadLetterId} is not a stream entry id
	 */
	Optional<RecordId> replay(String stream, String deadLetterId);

	/**
	 * Replays every dead letter a stream had when the call started, oldest first, each once: letters that fail again
	 * during the call (dead-lettered anew) are not replayed again by it.
	 * @param stream the stream's name
	 * @return how many were replayed
	 */
	int replayAll(String stream);

	/**
	 * Deletes every dead letter of a stream.
	 * @param stream the stream's name
	 * @return how many there were
	 */
	long purge(String stream);

}
