package dev.redisstarter.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.redisstarter.core.InvalidAnnotationException;

/**
 * Turns a wrong starter annotation, which Spring reports as a nested "Unexpected AOP exception", into Spring
 * Boot's "APPLICATION FAILED TO START" block with the method, the problem and what to do.
 */
class InvalidAnnotationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidAnnotationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidAnnotationException cause) {
		String method = cause.getMethod().getDeclaringClass().getName() + "." + cause.getMethod().getName();
		String description = "The " + cause.getAnnotation() + " annotation on " + method + " is invalid:\n\n    "
				+ cause.getProblem();
		String action = "Correct the " + cause.getAnnotation() + " annotation on " + method + " ("
				+ cause.getMethod().toGenericString() + "). Expressions are SpEL: refer to parameters by name (#id, with"
				+ " the -parameters compiler flag) or position (#p0); durations read like 500ms, 10s, 5m; policies are"
				+ " named under redis.starter.ratelimit.policies.";
		return new FailureAnalysis(description, action, cause);
	}

}
