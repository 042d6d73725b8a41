package dev.redisstarter.messaging.queue;

import java.lang.reflect.Method;

import org.springframework.aop.support.AopUtils;

import dev.redisstarter.core.AnnotatedMethodCollector;

/**
 * Finds {@link JobHandler} methods on beans and checks their signatures (a wrong one stops start-up);
 * {@link JobWorkers} starts a worker for each when the context starts.
 */
public class JobHandlerAnnotationBeanPostProcessor
		extends AnnotatedMethodCollector<JobHandler, JobHandlerAnnotationBeanPostProcessor.Declaration> {

	/** A method found, with its bean. */
	record Declaration(Object bean, Method method, JobHandler annotation, JobHandlerMethod invocable) {
	}

	/**
	 * A collector of {@link JobHandler} methods.
	 */
	public JobHandlerAnnotationBeanPostProcessor() {
		super(JobHandler.class);
	}

	@Override
	protected Declaration declare(Object bean, Method method, JobHandler annotation) {
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		return new Declaration(bean, method, annotation, JobHandlerMethod.of(bean, invocable, annotation));
	}

}
