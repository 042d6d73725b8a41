package dev.redisstarter.messaging.stream;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

import dev.redisstarter.core.InvalidAnnotationException;
import dev.redisstarter.core.MethodInvoker;

/**
 * A {@link StreamListener} method and how to call it, checked once: the payload type (the element type for the
 * batch form), and whether a {@link StreamDelivery} (or a list of them) follows.
 *
 * @param bean the bean
 * @param method the method
 * @param payloadType what to read each payload as
 * @param withDelivery whether the second parameter takes the delivery details
 * @param batch whether the method takes lists
 */
record ListenerMethod(Object bean, Method method, Type payloadType, boolean withDelivery, boolean batch) {

	static ListenerMethod of(Object bean, Method method, boolean batch) {
		Type[] parameters = method.getGenericParameterTypes();
		if (parameters.length < 1 || parameters.length > 2) {
			throw invalid(method, "the method must take the payload, optionally followed by a StreamDelivery");
		}
		Type payload = parameters[0];
		boolean withDelivery = parameters.length == 2;
		if (batch) {
			payload = listElement(method, payload, "the batch form takes a List of payloads");
			if (withDelivery && listElement(method, parameters[1], "the second parameter must be a List<StreamDelivery>")
					!= StreamDelivery.class) {
				throw invalid(method, "the second parameter must be a List<StreamDelivery>");
			}
		}
		else if (withDelivery && parameters[1] != StreamDelivery.class) {
			throw invalid(method, "the second parameter must be a StreamDelivery");
		}
		ReflectionUtils.makeAccessible(method);
		return new ListenerMethod(bean, method, payload, withDelivery, batch);
	}

	private static Type listElement(Method method, Type type, String problem) {
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class) {
			return parameterized.getActualTypeArguments()[0];
		}
		throw invalid(method, problem);
	}

	private static InvalidAnnotationException invalid(Method method, String problem) {
		return new InvalidAnnotationException("@StreamListener", method, InvalidAnnotationException.Kind.SIGNATURE, problem, null);
	}

	/**
	 * Calls the method.
	 * @param payload the payload (or list of payloads)
	 * @param delivery the delivery (or list), used when the method takes it
	 * @throws Exception what the method threw
	 */
	void invoke(@Nullable Object payload, Object delivery) throws Exception {
		if (this.withDelivery) {
			MethodInvoker.invoke(this.method, this.bean, payload, delivery);
		}
		else {
			MethodInvoker.invoke(this.method, this.bean, payload);
		}
	}

}
