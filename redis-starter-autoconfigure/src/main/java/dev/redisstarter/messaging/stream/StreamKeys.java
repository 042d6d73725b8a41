package dev.redisstarter.messaging.stream;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;

/**
 * The keys of a stream, all in one Cluster slot (the stream's name is their hash tag), so that one script can
 * move an entry between a stream and its dead letters: {@code <prefix>stream:{orders}},
 * {@code <prefix>stream:{orders}:dead}, {@code <prefix>stream:{orders}:instances} (durable-topic instances).
 *
 * @param naming the application's key naming
 */
public record StreamKeys(KeyNaming naming) {

	/**
	 * The stream.
	 * @param stream its name in code
	 * @return its key
	 */
	public String stream(String stream) {
		return this.naming.hashTagged(Feature.STREAM, requireName(stream));
	}

	/**
	 * The stream's dead letters.
	 * @param stream its name in code
	 * @return the dead-letter stream's key
	 */
	public String deadLetters(String stream) {
		return this.naming.hashTagged(Feature.STREAM, requireName(stream), "dead");
	}

	/**
	 * When each durable-topic instance was last seen (a hash: group to milliseconds).
	 * @param stream its name in code
	 * @return the key
	 */
	public String instances(String stream) {
		return this.naming.hashTagged(Feature.STREAM, requireName(stream), "instances");
	}

	private static String requireName(String stream) {
		if (stream == null || stream.isBlank() || stream.indexOf('}') >= 0 || stream.indexOf('{') >= 0) {
			throw new IllegalArgumentException("A stream name must not be empty or contain braces, was '" + stream + "'");
		}
		return stream;
	}

}
