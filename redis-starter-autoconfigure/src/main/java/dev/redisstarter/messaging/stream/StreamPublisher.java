package dev.redisstarter.messaging.stream;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.data.redis.connection.stream.RecordId;

/**
 * Adds entries to streams. The payload is written as JSON with the application's {@code JsonMapper} into the
 * entry's {@code payload} field; each add trims the stream to its configured bound in the same step
 * ({@code redis.starter.stream.defaults.max-length} / {@code max-age}, per stream under
 * {@code redis.starter.stream.named.<name>}).
 */
public interface StreamPublisher {

	/**
	 * Adds an entry.
	 * @param stream the stream's name (the key is {@code <prefix>stream:{<name>}})
	 * @param payload what to add
	 * @return the entry's id, given by the server
	 * @throws StreamUnavailableException when Redis cannot be reached within the streams timeout
	 */
	RecordId add(String stream, Object payload);

	/**
	 * Adds an entry with fields of its own next to the payload (for consumers in other languages, or for
	 * routing). A field must not be called {@code payload} or start with {@code x-dead-}.
	 * @param stream the stream's name
	 * @param payload what to add
	 * @param fields more fields
	 * @return the entry's id
	 */
	RecordId add(String stream, Object payload, Map<String, String> fields);

	/**
	 * Adds an entry without waiting for Redis. See {@link #addAsync(String, Object, Map)}.
	 * @param stream the stream's name
	 * @param payload what to add
	 * @return the entry's id to come
	 */
	default CompletableFuture<RecordId> addAsync(String stream, Object payload) {
		return addAsync(stream, payload, Map.of());
	}

	/**
	 * Adds an entry without waiting for Redis: the script is sent at once, pipelined with every other call on the
	 * starter's connection, and the future completes with the entry's id once Redis has stored it, or fails with a
	 * {@link StreamUnavailableException} when Redis does not answer within {@code redis.starter.stream.timeout} (the
	 * entry may or may not have been added). Bad input is thrown at once. At most
	 * {@code redis.starter.stream.max-async-in-flight} adds wait for replies; one beyond that waits for a slot, at
	 * most the streams timeout. Entries added one after the other from one thread keep their order. The future
	 * completes on a client thread: do not block in what you chain on it.
	 * @param stream the stream's name
	 * @param payload what to add
	 * @param fields more fields
	 * @return the entry's id to come
	 */
	default CompletableFuture<RecordId> addAsync(String stream, Object payload, Map<String, String> fields) {
		try {
			return CompletableFuture.completedFuture(add(stream, payload, fields));
		}
		catch (StreamUnavailableException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

}
