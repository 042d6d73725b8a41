package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How an entry is stored: {@code N} for a cached "absent"; otherwise optional header lines, then the value's
 * JSON. Header lines: {@code D:<ms>} (how long the load took, for early refresh), {@code C:<type>} (the value's
 * type, written only by the Spring Cache bridge, whose callers do not say what they read) and
 * {@code T:<tag>=<version>,...} (the versions of its tags when it was written). JSON never starts with a letter and a colon or is just
 * {@code N}, so the forms cannot be confused, and an entry without header is plain JSON, readable as such with
 * {@code redis-cli}.
 *
 * @param absent whether this is a cached "absent"
 * @param tags tag versions the entry was written with
 * @param loadMillis how long the load took, or 0 when not recorded
 * @param type the value's type as Jackson's canonical name, or {@code null} when not recorded
 * @param stored the entry as stored
 * @param jsonOffset where the value's JSON starts in {@code stored} (it runs to the end)
 */
record CacheEntry(boolean absent, Map<String, String> tags, long loadMillis, @Nullable String type, byte[] stored,
		int jsonOffset) {

	int jsonLength() {
		return this.stored.length - this.jsonOffset;
	}

	private static final byte[] ABSENT = { 'N' };

	static byte[] encode(byte @Nullable [] json, Map<String, String> tags, long loadMillis, @Nullable String type) {
		if (json == null) {
			if (tags.isEmpty()) {
				return ABSENT;
			}
			json = ABSENT;
		}
		if (tags.isEmpty() && loadMillis <= 0 && type == null) {
			return json;
		}
		StringBuilder header = new StringBuilder(headerWithoutTags(loadMillis, type));
		if (!tags.isEmpty()) {
			header.append("T:");
			tags.forEach((tag, version) -> header.append(encodeTag(tag)).append('=').append(version).append(','));
			header.setCharAt(header.length() - 1, '\n');
		}
		byte[] head = header.toString().getBytes(StandardCharsets.UTF_8);
		byte[] entry = Arrays.copyOf(head, head.length + json.length);
		System.arraycopy(json, 0, entry, head.length, json.length);
		return entry;
	}

	/** The header lines other than the tags' ({@code D:} and {@code C:}), for a script that adds the tags. */
	static String headerWithoutTags(long loadMillis, @Nullable String type) {
		StringBuilder header = new StringBuilder();
		if (loadMillis > 0) {
			header.append("D:").append(loadMillis).append('\n');
		}
		if (type != null) {
			header.append("C:").append(type).append('\n');
		}
		return header.toString();
	}

	static CacheEntry decode(byte[] stored) {
		if (stored.length == 1 && stored[0] == 'N') {
			return new CacheEntry(true, Map.of(), 0, null, stored, stored.length);
		}
		Map<String, String> tags = Map.of();
		long loadMillis = 0;
		String type = null;
		int start = 0;
		while (start + 1 < stored.length && stored[start] >= 'A' && stored[start] <= 'Z' && stored[start + 1] == ':') {
			int end = start + 2;
			while (end < stored.length && stored[end] != '\n') {
				end++;
			}
			String line = new String(stored, start + 2, end - start - 2, StandardCharsets.UTF_8);
			if (stored[start] == 'T') {
				tags = tags(line);
			}
			else if (stored[start] == 'D') {
				loadMillis = parseMillis(line);
			}
			else if (stored[start] == 'C') {
				type = line;
			}
			start = Math.min(end + 1, stored.length);
		}
		if (start == 0) {
			return new CacheEntry(false, tags, 0, null, stored, 0);
		}
		boolean absent = stored.length - start == 1 && stored[start] == 'N';
		return new CacheEntry(absent, tags, loadMillis, type, stored, start);
	}

	private static Map<String, String> tags(String line) {
		Map<String, String> tags = new LinkedHashMap<>();
		for (String pair : line.split(",")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				tags.put(decodeTag(pair.substring(0, equals)), pair.substring(equals + 1));
			}
		}
		return tags;
	}

	private static long parseMillis(String line) {
		try {
			return Long.parseLong(line);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * A tag as written in the header: {@code %}, {@code =}, {@code ,} and line breaks percent-encoded, so that any
	 * tag (tags from {@code #result} come from data) reads back as it was.
	 */
	static String encodeTag(String tag) {
		StringBuilder encoded = null;
		for (int i = 0; i < tag.length(); i++) {
			char c = tag.charAt(i);
			String escape = switch (c) {
				case '%' -> "%25";
				case '=' -> "%3D";
				case ',' -> "%2C";
				case '\n' -> "%0A";
				case '\r' -> "%0D";
				default -> null;
			};
			if (escape != null && encoded == null) {
				encoded = new StringBuilder(tag.length() + 8).append(tag, 0, i);
			}
			if (encoded != null) {
				if (escape != null) {
					encoded.append(escape);
				}
				else {
					encoded.append(c);
				}
			}
		}
		return (encoded != null) ? encoded.toString() : tag;
	}

	static String decodeTag(String encoded) {
		if (encoded.indexOf('%') < 0) {
			return encoded;
		}
		StringBuilder tag = new StringBuilder(encoded.length());
		for (int i = 0; i < encoded.length(); i++) {
			char c = encoded.charAt(i);
			int code = (c == '%' && i + 2 < encoded.length() && HexFormat.isHexDigit(encoded.charAt(i + 1))
					&& HexFormat.isHexDigit(encoded.charAt(i + 2))) ? HexFormat.fromHexDigits(encoded, i + 1, i + 3) : -1;
			if (code >= 0) {
				tag.append((char) code);
				i += 2;
			}
			else {
				tag.append(c);
			}
		}
		return tag.toString();
	}

	static void checkTag(String tag) {
		if (tag == null || tag.isEmpty()) {
			throw new IllegalArgumentException("A cache tag must not be empty");
		}
	}

}
