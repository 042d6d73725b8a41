package dev.redisstarter.messaging.stream;

import java.util.Map;

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

}
