package dev.redisstarter.core;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Reads a JSON document that is a string of printable ASCII without escapes ({@code "dark"}, {@code "en-GB"}: most
 * session attributes) straight into its tree node, without a JSON parser ({@link JsonCodec#readTree}). Anything else
 * (escapes, non-ASCII, numbers, objects, and strings longer than the codec's mapper reads) is left to the mapper, so
 * the result is exactly what the mapper would read.
 */
final class PlainJsonString {

	private PlainJsonString() {
	}

	/**
	 * The longest plain string, in bytes with its quotes, that a mapper reads within its constraints: its longest
	 * string value, and its longest document when it has one. The mapper refuses longer ones, so they are left to it.
	 * @param limits the mapper's {@link JsonCodec#readConstraints()}
	 * @return the most bytes {@link #read} takes
	 */
	static long longest(StreamReadConstraints limits) {
		long longest = limits.getMaxStringLength() + 2L;
		return (limits.getMaxDocumentLength() > 0) ? Math.min(longest, limits.getMaxDocumentLength()) : longest;
	}

	/**
	 * The document's node when it is a plain string.
	 * @param json the JSON bytes
	 * @param longest the most bytes to read here: {@link #longest} of the mapper's constraints
	 * @return the string's node, or {@code null} when the mapper must read it
	 */
	static @Nullable JsonNode read(byte[] json, long longest) {
		int last = json.length - 1;
		if (last < 1 || json.length > longest || json[0] != '"' || json[last] != '"') {
			return null;
		}
		for (int i = 1; i < last; i++) {
			byte b = json[i];
			// Printable ASCII only: no escape, no quote, no control character, no multi-byte sequence.
			if (b < 0x20 || b > 0x7e || b == '"' || b == '\\') {
				return null;
			}
		}
		return StringNode.valueOf(new String(json, 1, last - 1, StandardCharsets.US_ASCII));
	}

}
