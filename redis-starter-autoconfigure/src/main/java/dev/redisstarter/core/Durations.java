package dev.redisstarter.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written in annotations the way Spring Boot reads them in properties: {@code 500ms},
 * {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO-8601 such as {@code PT1H30M}.
 */
public final class Durations {

	private static final Pattern SIMPLE = Pattern.compile("^([+]?\\d+)(ns|us|ms|s|m|h|d)$");

	private Durations() {
	}

	/**
	 * Parses a duration.
	 * @param text the duration
	 * @return the duration
	 * @throws IllegalArgumentException when the text is neither form
	 */
	public static Duration parse(String text) {
		String trimmed = text.strip().toLowerCase(Locale.ROOT);
		Matcher matcher = SIMPLE.matcher(trimmed);
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			return switch (matcher.group(2)) {
				case "ns" -> Duration.ofNanos(amount);
				case "us" -> Duration.ofNanos(amount * 1000);
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
		}
		try {
			return Duration.parse(text.strip());
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException(
					"'" + text + "' is not a duration: use forms such as 500ms, 10s, 5m, 2h, 1d or PT1H30M", ex);
		}
	}

	/**
	 * Checks that a duration is positive.
	 * @param name what it is, for the message
	 * @param duration the duration
	 * @return the duration
	 * @throws IllegalArgumentException when it is null, zero or negative
	 */
	public static Duration requirePositive(String name, Duration duration) {
		if (duration == null || duration.isZero() || duration.isNegative()) {
			throw new IllegalArgumentException(name + " must be positive, was " + duration);
		}
		return duration;
	}

}
