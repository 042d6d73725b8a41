package dev.redisstarter.core;

import org.jspecify.annotations.Nullable;

/**
 * A value could not be written as JSON: its type has no serializable shape (for example a getter that
 * throws, or a cycle). This is a programming error in the caller's value type, so it is thrown, unlike a
 * stored value that fails to parse, which reads as absent.
 */
public class ValueEncodingException extends RuntimeException {

	/**
	 * A failure to write a value.
	 * @param value the value
	 * @param cause what Jackson reported
	 */
	public ValueEncodingException(@Nullable Object value, Throwable cause) {
		super("Cannot write a value of type " + ((value != null) ? value.getClass().getName() : "null") + " as JSON: "
				+ cause.getMessage(), cause);
	}

}
