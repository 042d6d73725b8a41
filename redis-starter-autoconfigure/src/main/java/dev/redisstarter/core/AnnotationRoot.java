package dev.redisstarter.core;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * What {@code #root} is in the starter's annotation expressions, as in Spring's own cache annotations:
 * {@code #root.methodName}, {@code #root.method}, {@code #root.args}, {@code #root.target},
 * {@code #root.targetClass}.
 */
public final class AnnotationRoot {

	private final Method method;

	private final @Nullable Object[] args;

	private final @Nullable Object target;

	private final @Nullable Class<?> targetClass;

	/**
	 * The root of one call.
	 * @param method the invoked method
	 * @param args its arguments
	 * @param target the bean, or {@code null}
	 * @param targetClass the bean's class, or {@code null}
	 */
	public AnnotationRoot(Method method, @Nullable Object[] args, @Nullable Object target, @Nullable Class<?> targetClass) {
		this.method = method;
		this.args = args;
		this.target = target;
		this.targetClass = targetClass;
	}

	/**
	 * The invoked method.
	 * @return the method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * The invoked method's name.
	 * @return the name
	 */
	public String getMethodName() {
		return this.method.getName();
	}

	/**
	 * The call's arguments.
	 * @return the arguments
	 */
	public @Nullable Object[] getArgs() {
		return this.args;
	}

	/**
	 * The bean called.
	 * @return the bean, or {@code null}
	 */
	public @Nullable Object getTarget() {
		return this.target;
	}

	/**
	 * The bean's class.
	 * @return the class, or {@code null}
	 */
	public @Nullable Class<?> getTargetClass() {
		return this.targetClass;
	}

}
