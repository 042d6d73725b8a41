package dev.redisstarter.session;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Reads a stored attribute that is a JSON string of printable ASCII without escapes ({@code "dark"}, {@code "en-GB"},
 * most attributes) straight into its tree node, without a JSON parser: on every session read, for every attribute.
 * Anything else (escapes, non-ASCII, numbers, objects) is left to the codec, so the result is exactly what the
 * codec would read.
 */
final class PlainStringAttribute {

	private PlainStringAttribute() {
	}

	/**
	 * The attribute's node when its JSON is a plain string.
	 * @param json the stored attribute value
	 * @return the string's node, or {@code null} when the codec must read it
	 */
	static @Nullable JsonNode read(byte[] json) {
		int last = json.length - 1;
		if (last < 1 || json[0] != '"' || json[last] != '"') {
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
