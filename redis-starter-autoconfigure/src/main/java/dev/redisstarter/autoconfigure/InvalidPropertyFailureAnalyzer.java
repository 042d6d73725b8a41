package dev.redisstarter.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;

/**
 * Reports a rejected {@code redis.starter.*} value ({@link InvalidPropertyException}) with the full property name,
 * the value as written, where it was written and the values accepted. It runs before Spring Boot's own binding
 * analyzer, which would show the setter's words as a "Reason" under a type name.
 */
class InvalidPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPropertyException> implements Ordered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidPropertyException cause) {
		BindException binding = innermostBinding(rootFailure);
		ConfigurationProperty bound = (binding != null) ? binding.getProperty() : null;
		// The binder knows the whole name (with the map key); a setter shared by several groups does not.
		String property = (bound != null) ? bound.getName().toString() : cause.getProperty();
		if (bound == null && cause.getValue() == null) {
			// Values that do not fit together: the problem names them.
			return new FailureAnalysis("Invalid properties under '" + property + "':\n\n    " + cause.getAccepted() + "\n",
					"Change the properties under " + property + " so that they fit together: " + cause.getAccepted() + ".",
					cause);
		}
		Object value = (bound != null) ? bound.getValue() : cause.getValue();
		Origin origin = (bound != null) ? bound.getOrigin() : null;
		StringBuilder description = new StringBuilder("Invalid value for property '").append(property).append("':\n\n");
		description.append("    Value: ").append(value).append('\n');
		if (origin != null) {
			description.append("    Origin: ").append(origin).append('\n');
		}
		description.append("    Accepted: ").append(cause.getAccepted()).append('\n');
		String action = "Change " + property + ": it must be " + cause.getAccepted() + " (or remove it to use the default).";
		return new FailureAnalysis(description.toString(), action, cause);
	}

	private static @Nullable BindException innermostBinding(Throwable failure) {
		BindException innermost = null;
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof BindException binding && binding.getProperty() != null) {
				innermost = binding;
			}
			if (candidate.getCause() == candidate) {
				break;
			}
		}
		return innermost;
	}

}
