package dev.redisstarter.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.redisstarter.core.InvalidAnnotationException;

/**
 * Turns a wrong starter annotation, which Spring reports as a nested "Unexpected AOP exception", into Spring
 * Boot's "APPLICATION FAILED TO START" block with the method, the problem and what to do. The action depends on the
 * kind of mistake: a parameter list is changed in the method, an expression or an attribute in the annotation (with
 * hints only for what that annotation has: SpEL, durations, rate-limit policies).
 */
class InvalidAnnotationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidAnnotationException> {

	/** The annotations whose attributes are SpEL expressions. */
	private static final Set<String> WITH_EXPRESSIONS = Set.of("@WithLock", "@RateLimited", "@TaggedCacheable",
			"@EvictTags");

	/** The annotations with duration attributes. */
	private static final Set<String> WITH_DURATIONS = Set.of("@WithLock", "@RateLimited", "@TaggedCacheable",
			"@JobSchedule");

	private static final String SPEL = "Expressions are SpEL: refer to parameters by name (#id, with the -parameters"
			+ " compiler flag) or position (#p0).";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidAnnotationException cause) {
		String annotation = cause.getAnnotation();
		String method = cause.getMethod().getDeclaringClass().getName() + "." + cause.getMethod().getName();
		String description = "The " + annotation + " annotation on " + method + " is invalid:\n\n    "
				+ cause.getProblem();
		return new FailureAnalysis(description, action(cause, method), cause);
	}

	private static String action(InvalidAnnotationException cause, String method) {
		String annotation = cause.getAnnotation();
		String signature = cause.getMethod().toGenericString();
		return switch (cause.getKind()) {
			case SIGNATURE -> "Change the parameter list (or return type) of " + method + " (" + signature
					+ ") to one that " + annotation + " accepts, as the problem above says; its Javadoc lists them.";
			case EXPRESSION -> "Correct the expression in the " + annotation + " annotation on " + method + ". " + SPEL;
			case SETUP -> "Make the application fit the " + annotation + " annotation on " + method
					+ " as the problem above says, or remove the annotation.";
			case ATTRIBUTE -> attributeAction(annotation, method, signature);
		};
	}

	private static String attributeAction(String annotation, String method, String signature) {
		List<String> hints = new ArrayList<>();
		if (WITH_EXPRESSIONS.contains(annotation)) {
			hints.add(SPEL);
		}
		if (WITH_DURATIONS.contains(annotation)) {
			hints.add("Durations read like 500ms, 10s, 5m.");
		}
		if (annotation.equals("@RateLimited")) {
			hints.add("Policies are named under redis.starter.ratelimit.policies.");
		}
		return "Correct the attribute of the " + annotation + " annotation on " + method + " (" + signature
				+ ") that the problem above names." + (hints.isEmpty() ? "" : " " + String.join(" ", hints));
	}

}
