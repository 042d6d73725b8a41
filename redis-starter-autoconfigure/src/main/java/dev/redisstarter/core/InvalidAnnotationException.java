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

	/**
	 * A wrong annotation.
	 * @param annotation the annotation, such as {@code @WithLock}
	 * @param method the annotated method
	 * @param problem what is wrong
	 * @param cause the underlying error, or {@code null}
	 */
	public InvalidAnnotationException(String annotation, Method method, String problem, @Nullable Throwable cause) {
		super("Invalid " + annotation + " on " + method.toGenericString() + ": " + problem, cause);
		this.annotation = annotation;
		this.method = method;
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
	 * What is wrong.
	 * @return the problem, without the method
	 */
	public String getProblem() {
		return this.problem;
	}

}
