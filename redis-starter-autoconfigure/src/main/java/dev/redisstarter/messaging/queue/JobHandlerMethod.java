package dev.redisstarter.messaging.queue;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

import dev.redisstarter.core.InvalidAnnotationException;
import dev.redisstarter.core.MethodInvoker;

/**
 * A checked {@link JobHandler} method: the payload, optionally followed by a {@link JobContext}.
 *
 * @param bean the bean
 * @param method the method (invocable on the bean, proxies included)
 * @param payloadType what to read each payload as
 * @param withContext whether the second parameter takes the context
 * @param noRetryFor exception types that dead-letter at once
 */
record JobHandlerMethod(Object bean, Method method, Type payloadType, boolean withContext,
		Class<? extends Throwable>[] noRetryFor) {

	static JobHandlerMethod of(Object bean, Method method, JobHandler annotation) {
		Type[] parameters = method.getGenericParameterTypes();
		if (parameters.length < 1 || parameters.length > 2) {
			throw invalid(method, InvalidAnnotationException.Kind.SIGNATURE, "the method must take the payload, optionally followed by a JobContext");
		}
		if (parameters.length == 2 && parameters[1] != JobContext.class) {
			throw invalid(method, InvalidAnnotationException.Kind.SIGNATURE, "the second parameter must be a JobContext");
		}
		if (annotation.concurrency() < 0 || annotation.concurrency() > 1024) {
			throw invalid(method, InvalidAnnotationException.Kind.ATTRIBUTE, "concurrency must be between 1 and 1024 (or 0 for the queue's setting), was "
					+ annotation.concurrency());
		}
		ReflectionUtils.makeAccessible(method);
		return new JobHandlerMethod(bean, method, parameters[0], parameters.length == 2, annotation.noRetryFor());
	}

	private static InvalidAnnotationException invalid(Method method, InvalidAnnotationException.Kind kind,
			String problem) {
		return new InvalidAnnotationException("@JobHandler", method, kind, problem, null);
	}

	boolean retries(Throwable error) {
		if (error instanceof NonRetryableJobException) {
			return false;
		}
		for (Class<? extends Throwable> type : this.noRetryFor) {
			if (type.isInstance(error)) {
				return false;
			}
		}
		return true;
	}

	void invoke(@Nullable Object payload, JobContext context) throws Exception {
		if (this.withContext) {
			MethodInvoker.invoke(this.method, this.bean, payload, context);
		}
		else {
			MethodInvoker.invoke(this.method, this.bean, payload);
		}
	}

}
