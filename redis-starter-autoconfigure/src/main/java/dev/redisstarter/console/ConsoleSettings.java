package dev.redisstarter.console;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The console's settings.
 *
 * @param path where the console is served, starting and ending with {@code /}
 * @param writeEnabled whether write actions are allowed
 * @param role the role a user needs when Spring Security is present
 * @param allowWithoutSecurity whether the console is served without Spring Security on the classpath
 * @param sampleSize how many keys the server insight samples per node, at most
 * @param sampleTimeBudget how long the server insight samples keys per node, at most
 * @param slowlogEntries how many {@code SLOWLOG} entries are shown per node
 * @param listSize how many jobs or dead letters a list shows
 * @param payloadPreview how many characters of a payload a list shows
 */
public record ConsoleSettings(String path, boolean writeEnabled, String role, boolean allowWithoutSecurity,
		int sampleSize, Duration sampleTimeBudget, int slowlogEntries, int listSize, int payloadPreview) {

	/**
	 * Checks the settings.
	 * @param path where the console is served
	 * @param writeEnabled whether write actions are allowed
	 * @param role the role
	 * @param allowWithoutSecurity whether served without Spring Security
	 * @param sampleSize the sample size
	 * @param sampleTimeBudget the sample time budget
	 * @param slowlogEntries the {@code SLOWLOG} entries
	 * @param listSize the list size
	 * @param payloadPreview the payload preview
	 */
	public ConsoleSettings {
		Objects.requireNonNull(path, "path must not be null");
		if (path.length() < 3 || !path.startsWith("/") || !path.endsWith("/") || path.contains("*")
				|| path.contains("{")) {
			// Not the root: the console's access filter covers everything under its path.
			throw new IllegalArgumentException("path must start and end with '/', name a segment (not the root) and"
					+ " hold no pattern ('*', '{'), was '" + path + "'");
		}
		if (role == null || role.isBlank()) {
			throw new IllegalArgumentException("role must not be empty");
		}
		requirePositive("sampleSize", sampleSize);
		Objects.requireNonNull(sampleTimeBudget, "sampleTimeBudget must not be null");
		if (sampleTimeBudget.isZero() || sampleTimeBudget.isNegative()) {
			throw new IllegalArgumentException("sampleTimeBudget must be positive, was " + sampleTimeBudget);
		}
		requirePositive("slowlogEntries", slowlogEntries);
		requirePositive("listSize", listSize);
		requirePositive("payloadPreview", payloadPreview);
	}

	/**
	 * A payload as lists show it: cut to {@link #payloadPreview} characters (one less rather than half a surrogate
	 * pair), with an ellipsis when cut.
	 * @param payload the payload, or {@code null}
	 * @return the preview, or {@code null}
	 */
	public @Nullable String preview(@Nullable String payload) {
		if (payload == null || payload.length() <= this.payloadPreview) {
			return payload;
		}
		int end = Character.isHighSurrogate(payload.charAt(this.payloadPreview - 1)) ? this.payloadPreview - 1
				: this.payloadPreview;
		return payload.substring(0, end) + "\u2026";
	}

	private static void requirePositive(String name, int value) {
		if (value < 1) {
			throw new IllegalArgumentException(name + " must be at least 1, was " + value);
		}
	}

}
