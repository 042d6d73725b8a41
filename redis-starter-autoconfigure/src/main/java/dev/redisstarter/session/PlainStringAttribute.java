package dev.redisstarter.session;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Reads a stored attribute that is a JSON string of printable ASCII without escapes ({@code "dark"}, {@code "en-GB"},
 * most attributes) straight into its tree node, without a JSON parser: on every session read, for every attribute.
 * Anything else (escapes, non-ASCII, numbers, objects, and strings longer than the codec's mapper reads) is left to
 * the codec, so the result is exactly what the codec would read.
 */
final class PlainStringAttribute {

	private PlainStringAttribute() {
	}

	/**
	 * The longest plain string attribute, in bytes with its quotes, that a mapper reads within its constraints: its
	 * longest string value, and its longest document when it has one. The codec refuses longer ones (the session
	 * is then corrupt), so they are left to it.
	 * @param limits the codec's {@link dev.redisstarter.core.JsonCodec#readConstraints()}
	 * @return the most bytes {@link #read} takes
	 */
	static long longest(StreamReadConstraints limits) {
		long longest = limits.getMaxStringLength() + 2L;
		return (limits.getMaxDocumentLength() > 0) ? Math.min(longest, limits.getMaxDocumentLength()) : longest;
	}

	/**
	 * The attribute's node when its JSON is a plain string.
	 * @param json the stored attribute value
	 * @param longest the most bytes to read here: {@link #longest} of the codec's constraints
	 * @return the string's node, or {@code null} when the codec must read it
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
