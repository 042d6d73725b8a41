package dev.redisstarter.core;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * One of the starter's annotations is wrong on a method: an expression that does not parse or names nothing, a
 * duration that does not parse, an unknown policy, a return type it cannot handle. Thrown while the bean is
 * created, so the application does not start; Spring Boot's failure analysis shows the method and the problem.
 */
public class InvalidAnnotationException extends IllegalStateException {

	private final String annotation;

	private final transient Method method;

	private final String problem;

	private final Kind kind;

	/**
	 * What kind of mistake it is, so that the failure report's action speaks of the right thing.
	 */
	public enum Kind {

		/** The method's parameter list or return type is not one the annotation accepts. */
		SIGNATURE,

		/** An expression does not parse. */
		EXPRESSION,

		/** An attribute's value: a duration, a name, a policy, a number out of range, an unknown variable. */
		ATTRIBUTE,

		/** The annotation does not fit the application: its capability is off, or it needs another annotation. */
		SETUP

	}

	/**
	 * A wrong attribute, or an expression that does not parse when {@code cause} is a SpEL
	 * {@link org.springframework.expression.ParseException}.
	 * @param annotation the annotation, such as {@code @WithLock}
	 * @param method the annotated method
	 * @param problem what is wrong
	 * @param cause the underlying error, or {@code null}
	 */
	public InvalidAnnotationException(String annotation, Method method, String problem, @Nullable Throwable cause) {
		this(annotation, method,
				(cause instanceof org.springframework.expression.ParseException) ? Kind.EXPRESSION : Kind.ATTRIBUTE,
				problem, cause);
	}

	/**
	 * A wrong annotation.
	 * @param annotation the annotation, such as {@code @WithLock}
	 * @param method the annotated method
	 * @param kind what kind of mistake
	 * @param problem what is wrong
	 * @param cause the underlying error, or {@code null}
	 */
	public InvalidAnnotationException(String annotation, Method method, Kind kind, String problem,
			@Nullable Throwable cause) {
		super("Invalid " + annotation + " on " + method.toGenericString() + ": " + problem, cause);
		this.annotation = annotation;
		this.method = method;
		this.kind = kind;
		this.problem = problem;
	}

	/**
	 * The annotation.
	 * @return such as {@code @WithLock}
	 */
	public String getAnnotation() {
		return this.annotation;
	}

	/**
	 * The method.
	 * @return the annotated method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * What kind of mistake.
	 * @return the kind
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * What is wrong.
	 * @return the problem, without the method
	 */
	public String getProblem() {
		return this.problem;
	}

}
