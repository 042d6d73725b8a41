package dev.redisstarter.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A {@code redis.starter.*} value the starter cannot work with, thrown by the properties' setters and by the
 * auto-configuration's checks of values that depend on each other. {@link InvalidPropertyFailureAnalyzer} turns it
 * into Spring Boot's "APPLICATION FAILED TO START" report with the full property name (taken from the binder when
 * the setter knows only part of it), the value, where it was set, and the values accepted.
 * <p>
 * It is an {@link IllegalArgumentException}, so code that builds the properties by hand sees what it saw before.
 */
public class InvalidPropertyException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final @Nullable Object value;

	private final String accepted;

	/**
	 * Creates the exception.
	 * @param property the property's name ({@code redis.starter.cache.ttl-jitter}; {@code *} stands for a map key
	 * that the setter does not know)
	 * @param value the rejected value
	 * @param accepted what would be accepted, read after "must be" ("between 0 and 0.5", "a positive duration")
	 */
	public InvalidPropertyException(String property, @Nullable Object value, String accepted) {
		super(property + " must be " + accepted + ", was " + value);
		this.property = property;
		this.value = value;
		this.accepted = accepted;
	}

	/**
	 * Creates the exception for values that do not fit together (a backoff's max below its initial), or a check
	 * that names no single value.
	 * @param property the property or the group of properties
	 * @param problem what is wrong, in words
	 */
	public InvalidPropertyException(String property, String problem) {
		super("Invalid " + property + ": " + problem);
		this.property = property;
		this.value = null;
		this.accepted = problem;
	}

	/**
	 * The property's name as the code that rejected it knows it.
	 * @return the name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * The rejected value.
	 * @return the value, or null
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

	/**
	 * What would be accepted, read after "must be".
	 * @return the accepted values in words
	 */
	public String getAccepted() {
		return this.accepted;
	}

}
