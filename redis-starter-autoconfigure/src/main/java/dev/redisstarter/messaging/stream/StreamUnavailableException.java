package dev.redisstarter.messaging.stream;

import dev.redisstarter.core.RedisUnavailableException;

/**
 * A stream operation could not reach Redis within the streams timeout, or the circuit is open.
 */
public class StreamUnavailableException extends RedisUnavailableException {

	private static final long serialVersionUID = 1L;

	/**
	 * An exception for a stream.
	 * @param stream the stream's name
	 * @param operation what was tried, such as "add"
	 * @param cause what failed
	 */
	public StreamUnavailableException(String stream, String operation, Throwable cause) {
		super("Could not " + operation + " on stream '" + stream + "': " + cause.getMessage(), cause);
	}

}
