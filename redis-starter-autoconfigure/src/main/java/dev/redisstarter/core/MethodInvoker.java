package dev.redisstarter.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * Calls an annotated bean method reflectively and rethrows what the method threw as it was thrown, so that
 * listeners and handlers see the application's own exceptions rather than reflection's wrapper.
 */
public final class MethodInvoker {

	private MethodInvoker() {
	}

	/**
	 * Calls the method.
	 * @param method the method (made accessible)
	 * @param bean the bean
	 * @param arguments the arguments
	 * @return what the method returned
	 * @throws Exception what the method threw (an {@link Error} is thrown as it is)
	 */
	public static @Nullable Object invoke(Method method, Object bean, @Nullable Object... arguments) throws Exception {
		try {
			return method.invoke(bean, arguments);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}
