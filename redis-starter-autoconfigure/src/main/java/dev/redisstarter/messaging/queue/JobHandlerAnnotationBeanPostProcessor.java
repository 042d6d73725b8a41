package dev.redisstarter.messaging.queue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds {@link JobHandler} methods on beans and checks their signatures (a wrong one stops start-up);
 * {@link JobWorkers} starts a worker for each when the context starts.
 */
public class JobHandlerAnnotationBeanPostProcessor implements BeanPostProcessor {

	/** A method found, with its bean. */
	record Declaration(Object bean, Method method, JobHandler annotation, JobHandlerMethod invocable) {
	}

	private final List<Declaration> declarations = new ArrayList<>();

	private final Set<Class<?>> without = ConcurrentHashMap.newKeySet();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> target = AopProxyUtils.ultimateTargetClass(bean);
		if (this.without.contains(target) || target.getName().startsWith("org.springframework.")) {
			return bean;
		}
		Map<Method, JobHandler> methods = MethodIntrospector.selectMethods(target,
				(MethodIntrospector.MetadataLookup<JobHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, JobHandler.class));
		if (methods.isEmpty()) {
			this.without.add(target);
			return bean;
		}
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			JobHandlerMethod checked = JobHandlerMethod.of(bean, invocable, annotation);
			synchronized (this.declarations) {
				this.declarations.add(new Declaration(bean, method, annotation, checked));
			}
		});
		return bean;
	}

	List<Declaration> declarations() {
		synchronized (this.declarations) {
			return List.copyOf(this.declarations);
		}
	}

}
