package dev.redisstarter.core;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Builds every key the starter writes: {@code <prefix><feature>:<part>:<part>...}.
 *
 * <p>Keys that one script touches together must share a Redis Cluster hash slot: {@link #hashTagged} puts
 * the shared part in braces ({@code app:ratelimit:{user-42}:second}), and because neither the prefix nor the
 * feature may contain braces, that tag is always the first one in the key and decides the slot.
 *
 * <p>Every part after the feature may come from a caller (a cache key or tag, a lock name, a rate-limit key): a
 * part longer than {@code maxPartLength} is refused with an {@link InputLimitExceededException} before anything is
 * sent, so that a request cannot write a megabyte key, nor make the starter log one.
 *
 * @param prefix what every key starts with, such as {@code orders:}; may be empty
 * @param maxPartLength the most characters of one part after the feature ({@code redis.starter.max-key-part-length})
 */
public record KeyNaming(String prefix, int maxPartLength) {

	/** Separates the segments of a key. */
	public static final String SEPARATOR = ":";

	/** The default {@code maxPartLength}: far above any key an application builds on purpose. */
	public static final int DEFAULT_MAX_PART_LENGTH = 1024;

	/** The property that sets {@code maxPartLength}, named when a part is refused. */
	public static final String MAX_PART_LENGTH_PROPERTY = "redis.starter.max-key-part-length";

	/**
	 * Checks the prefix and the bound.
	 * @param prefix what every key starts with
	 * @param maxPartLength the most characters of one part, positive
	 */
	public KeyNaming {
		Objects.requireNonNull(prefix, "prefix must not be null");
		String problem = prefixProblem(prefix);
		if (problem != null) {
			throw new IllegalArgumentException("Key prefix '" + prefix + "' " + problem);
		}
		if (maxPartLength < 1) {
			throw new IllegalArgumentException(MAX_PART_LENGTH_PROPERTY + " must be positive, was " + maxPartLength);
		}
	}

	/**
	 * Key naming with the default bound on parts.
	 * @param prefix what every key starts with
	 */
	public KeyNaming(String prefix) {
		this(prefix, DEFAULT_MAX_PART_LENGTH);
	}

	/**
	 * Why a prefix cannot be used, or {@code null} when it can.
	 * @param prefix a candidate prefix
	 * @return the reason, or {@code null}
	 */
	public static @Nullable String prefixProblem(String prefix) {
		for (int i = 0; i < prefix.length(); i++) {
			char c = prefix.charAt(i);
			if (c == '{' || c == '}') {
				return "must not contain '{' or '}': the starter's own hash tags decide the Cluster slot";
			}
			if (Character.isWhitespace(c) || Character.isISOControl(c)) {
				return "must not contain whitespace or control characters";
			}
		}
		return null;
	}

	/**
	 * A key of a feature, such as {@code app:lb:global}.
	 * @param feature the capability that owns the key
	 * @param parts the remaining segments, joined by {@code :}
	 * @return the key
	 */
	public String key(Feature feature, String... parts) {
		StringBuilder key = start(feature);
		for (String part : parts) {
			key.append(SEPARATOR).append(checked(feature, part));
		}
		return key.toString();
	}

	/**
	 * A key whose Cluster slot is decided by {@code tag}: {@code app:ratelimit:{tag}:part...}. Every key built
	 * with the same feature and tag lives in the same slot, so one script may touch them all.
	 * @param feature the capability that owns the key
	 * @param tag the hash tag; not empty, without {@code '}'}
	 * @param parts the segments after the tag
	 * @return the key
	 */
	public String hashTagged(Feature feature, String tag, String... parts) {
		checked(feature, tag);
		return hashTaggedChecked(feature, tag, parts);
	}

	/**
	 * The template of the hash-tagged keys of a capability with these parts after the tag, whose tag the caller gives
	 * as bytes on each call (see {@link KeyTemplate}).
	 * @param feature the capability that owns the keys
	 * @param parts the segments after the tag, checked as {@link #hashTagged}'s are
	 * @return the template
	 */
	public KeyTemplate template(Feature feature, String... parts) {
		StringBuilder tail = new StringBuilder("}");
		for (String part : parts) {
			tail.append(SEPARATOR).append(checked(feature, part));
		}
		return new KeyTemplate(start(feature).append(SEPARATOR).append('{').toString(), tail.toString());
	}

	/**
	 * Refuses a key part taken from a caller that is longer than {@code maxPartLength}.
	 * @param feature the capability the part is for, named in the message
	 * @param part the part
	 * @throws InputLimitExceededException when it is longer (the message gives its length, never the part)
	 */
	public void checkPart(Feature feature, String part) {
		checked(feature, part);
	}

	private String hashTaggedChecked(Feature feature, String tag, String... parts) {
		if (tag.isEmpty() || tag.indexOf('}') >= 0) {
			throw new IllegalArgumentException("Hash tag '" + Masking.mask(tag) + "' must be non-empty and must not contain '}'");
		}
		StringBuilder key = start(feature).append(SEPARATOR).append('{').append(tag).append('}');
		for (String part : parts) {
			key.append(SEPARATOR).append(checked(feature, part));
		}
		return key.toString();
	}

	/**
	 * A {@code SCAN MATCH} pattern for keys of a feature: the prefix and feature are escaped, so that glob
	 * characters in a prefix match only themselves, and {@code glob} follows as given.
	 * @param feature the capability whose keys to match
	 * @param glob the pattern of the rest of the key, such as {@code products:*}
	 * @return the pattern
	 */
	public String pattern(Feature feature, String glob) {
		return escapeGlob(this.prefix + feature.segment()) + SEPARATOR + glob;
	}

	private String checked(Feature feature, String part) {
		if (part.length() > this.maxPartLength) {
			// The length only: the part is caller data and this message may be answered and logged.
			throw new InputLimitExceededException("A " + feature.propertyName() + " key part", part.length(),
					this.maxPartLength, "characters", MAX_PART_LENGTH_PROPERTY);
		}
		return part;
	}

	private StringBuilder start(Feature feature) {
		return new StringBuilder(this.prefix.length() + 48).append(this.prefix).append(feature.segment());
	}

	static String escapeGlob(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

}
