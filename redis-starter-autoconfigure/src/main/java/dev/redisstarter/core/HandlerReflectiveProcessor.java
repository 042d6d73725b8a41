package dev.redisstarter.core;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Objects;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.ReflectiveProcessor;

/**
 * What a native image needs to call an application's handler method that the starter invokes reflectively
 * ({@code @JobHandler}, {@code @StreamListener}, {@code @KeyEventListener}, {@code @JobSchedule}): the method itself,
 * and JSON binding for its parameter and return types, which the starter reads and writes with Jackson. Named
 * on those annotations through {@code @Reflective}, so Spring's AOT processing applies it to every annotated bean
 * method.
 */
public final class HandlerReflectiveProcessor implements ReflectiveProcessor {

	private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

	@Override
	public void registerReflectionHints(ReflectionHints hints, AnnotatedElement element) {
		if (!(element instanceof Method method)) {
			return;
		}
		hints.registerMethod(method, ExecutableMode.INVOKE);
		for (Type parameter : method.getGenericParameterTypes()) {
			if (isApplicationType(parameter)) {
				this.bindings.registerReflectionHints(hints, parameter);
			}
		}
		if (method.getReturnType() != void.class && isApplicationType(method.getGenericReturnType())) {
			this.bindings.registerReflectionHints(hints, method.getGenericReturnType());
		}
	}

	/** The starter's own parameter types (contexts, deliveries, events: from its own jar) need no binding. */
	private static boolean isApplicationType(Type type) {
		return !(type instanceof Class<?> declared) || !Objects.equals(declared.getProtectionDomain().getCodeSource(),
				HandlerReflectiveProcessor.class.getProtectionDomain().getCodeSource());
	}

}
