package dev.redisstarter.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports misspelled {@code redis.starter.*} names ({@link UnknownPropertyException}): each name, where it was set,
 * and the nearest name the starter knows.
 */
class UnknownPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnknownPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnknownPropertyException cause) {
		StringBuilder description = new StringBuilder("The Redis Starter does not know ")
			.append((cause.getUnknown().size() == 1) ? "this property" : "these properties")
			.append(", so it would be ignored:\n");
		StringBuilder action = new StringBuilder("Correct the name")
			.append((cause.getUnknown().size() == 1) ? ":" : "s:");
		for (UnknownPropertyException.Entry entry : cause.getUnknown()) {
			description.append("\n    Property: ").append(entry.name());
			if (entry.origin() != null) {
				description.append("\n    Origin: ").append(entry.origin());
			}
			description.append('\n');
			action.append("\n    ").append(entry.name()).append(": did you mean ").append(entry.nearest()).append('?');
		}
		action.append("\n\nOr set ")
			.append(UnknownPropertiesCheck.MODE_PROPERTY)
			.append("=warn to start anyway and log each unknown property.");
		return new FailureAnalysis(description.toString(), action.toString(), cause);
	}

}
