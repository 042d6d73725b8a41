package dev.redisstarter.core;

import java.util.Collection;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * How the starter names a caller's data (a user id, a cache key, a tag, a rate-limited key, a board) in exception
 * messages and log lines: never whole, since it may come from a request (a 10 MB user id must not write 10 MB log
 * lines, and a key may carry personal data), but enough to tell cases apart: its first characters, at most a third
 * of it and never more than {@value #MAX_SHOWN}, and its length, as in {@code 'alice…' (17 chars)}. Session ids never
 * appear at all, not even masked: they are secrets.
 */
public final class Masking {

	/** The most characters of a value that are shown. */
	public static final int MAX_SHOWN = 8;

	private Masking() {
	}

	/**
	 * A value as messages show it.
	 * @param value a caller's value
	 * @return such as {@code 'alice…' (17 chars)}; {@code null} as {@code null}
	 */
	public static String mask(@Nullable CharSequence value) {
		if (value == null) {
			return "null";
		}
		int length = value.length();
		int shown = Math.min(MAX_SHOWN, length / 3);
		// Not within a surrogate pair: a lone half would print as a replacement character.
		if (shown > 0 && Character.isHighSurrogate(value.charAt(shown - 1))) {
			shown--;
		}
		return "'" + value.subSequence(0, shown) + "…' (" + length + " chars)";
	}

	/**
	 * Values as messages show them.
	 * @param values callers' values
	 * @return each masked, in brackets
	 */
	public static String mask(Collection<? extends CharSequence> values) {
		return values.stream().map(Masking::mask).collect(Collectors.joining(", ", "[", "]"));
	}

}
