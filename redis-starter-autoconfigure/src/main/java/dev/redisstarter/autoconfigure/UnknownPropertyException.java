package dev.redisstarter.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Names under {@code redis.starter} that the starter does not bind, found at start-up; with
 * {@code redis.starter.unknown-properties=warn} they are logged instead. {@link UnknownPropertyFailureAnalyzer}
 * reports them.
 */
public class UnknownPropertyException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final List<Entry> unknown;

	UnknownPropertyException(List<Entry> unknown) {
		super("Unknown properties: " + unknown.stream()
			.map((entry) -> entry.name() + " (did you mean " + entry.nearest() + "?)")
			.collect(Collectors.joining(", ")));
		this.unknown = List.copyOf(unknown);
	}

	/**
	 * The unknown names, in the order of the property sources (highest precedence first).
	 * @return the names with their nearest valid names
	 */
	public List<Entry> getUnknown() {
		return this.unknown;
	}

	/**
	 * One unknown name.
	 * @param name the name as set
	 * @param nearest the valid name nearest to it
	 * @param origin where it was set (a file and line), when known
	 */
	public record Entry(String name, String nearest, @Nullable String origin) {
	}

}
