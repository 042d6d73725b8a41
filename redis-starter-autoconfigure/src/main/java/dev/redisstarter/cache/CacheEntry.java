package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How an entry is stored: {@code N} for a cached "absent"; otherwise an optional header line
 * {@code T:<tag>=<version>,...} (the versions of its tags when it was written) followed by the value's JSON.
 * JSON never starts with {@code T:} or is just {@code N}, so the forms cannot be confused, and an untagged
 * entry is plain JSON, readable as such with {@code redis-cli}.
 *
 * @param absent whether this is a cached "absent"
 * @param tags tag versions the entry was written with
 * @param json the value's JSON (empty for "absent")
 */
record CacheEntry(boolean absent, Map<String, String> tags, byte[] json) {

	private static final byte[] ABSENT = { 'N' };

	static byte[] encode(byte @Nullable [] json, Map<String, String> tags) {
		if (json == null) {
			return ABSENT;
		}
		if (tags.isEmpty()) {
			return json;
		}
		StringBuilder header = new StringBuilder("T:");
		tags.forEach((tag, version) -> header.append(tag).append('=').append(version).append(','));
		header.setCharAt(header.length() - 1, '\n');
		byte[] head = header.toString().getBytes(StandardCharsets.UTF_8);
		byte[] entry = Arrays.copyOf(head, head.length + json.length);
		System.arraycopy(json, 0, entry, head.length, json.length);
		return entry;
	}

	static CacheEntry decode(byte[] stored) {
		if (stored.length == 1 && stored[0] == 'N') {
			return new CacheEntry(true, Map.of(), new byte[0]);
		}
		if (stored.length < 2 || stored[0] != 'T' || stored[1] != ':') {
			return new CacheEntry(false, Map.of(), stored);
		}
		int end = 2;
		while (end < stored.length && stored[end] != '\n') {
			end++;
		}
		Map<String, String> tags = new LinkedHashMap<>();
		for (String pair : new String(stored, 2, end - 2, StandardCharsets.UTF_8).split(",")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				tags.put(pair.substring(0, equals), pair.substring(equals + 1));
			}
		}
		return new CacheEntry(false, tags, Arrays.copyOfRange(stored, Math.min(end + 1, stored.length), stored.length));
	}

	static void checkTag(String tag) {
		if (tag == null || tag.isEmpty() || tag.indexOf('=') >= 0 || tag.indexOf(',') >= 0 || tag.indexOf('\n') >= 0) {
			throw new IllegalArgumentException("A cache tag must be non-empty without '=', ',' or line breaks, was '" + tag + "'");
		}
	}

}
