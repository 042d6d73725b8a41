package dev.redisstarter.messaging.stream;

import java.lang.reflect.Method;

import org.springframework.aop.support.AopUtils;

import dev.redisstarter.core.AnnotatedMethodCollector;

/**
 * Finds {@link StreamListener} methods on beans and checks their signatures (a wrong one stops start-up);
 * {@link StreamListeners} starts a consumer for each when the context starts.
 */
public class StreamListenerAnnotationBeanPostProcessor
		extends AnnotatedMethodCollector<StreamListener, StreamListenerAnnotationBeanPostProcessor.Declaration> {

	/** A method found, with its bean. */
	record Declaration(Object bean, Method method, StreamListener annotation, ListenerMethod invocable) {
	}

	/**
	 * A collector of {@link StreamListener} methods.
	 */
	public StreamListenerAnnotationBeanPostProcessor() {
		super(StreamListener.class);
	}

	@Override
	protected Declaration declare(Object bean, Method method, StreamListener annotation) {
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		return new Declaration(bean, method, annotation, ListenerMethod.of(bean, invocable, annotation.batch()));
	}

}
