package dev.redisstarter.messaging.queue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.redisstarter.core.InvalidAnnotationException;

/**
 * Finds {@link JobSchedule} methods on beans and checks that each is a {@link JobHandler} method (a schedule
 * without one stops start-up); {@link JobSchedules} checks the attributes and runs the schedules.
 */
public class JobScheduleAnnotationBeanPostProcessor implements BeanPostProcessor {

	/** A method found, with its annotations. */
	record Declaration(Method method, JobSchedule schedule, JobHandler handler) {
	}

	private final List<Declaration> declarations = new ArrayList<>();

	private final Set<Class<?>> without = ConcurrentHashMap.newKeySet();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> target = AopProxyUtils.ultimateTargetClass(bean);
		if (this.without.contains(target) || target.getName().startsWith("org.springframework.")) {
			return bean;
		}
		Map<Method, JobSchedule> methods = MethodIntrospector.selectMethods(target,
				(MethodIntrospector.MetadataLookup<JobSchedule>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, JobSchedule.class));
		if (methods.isEmpty()) {
			this.without.add(target);
			return bean;
		}
		methods.forEach((method, schedule) -> {
			JobHandler handler = AnnotatedElementUtils.findMergedAnnotation(method, JobHandler.class);
			if (handler == null) {
				throw new InvalidAnnotationException("@JobSchedule", method,
						"it must be on a @JobHandler method: the schedule enqueues into that handler's queue", null);
			}
			synchronized (this.declarations) {
				this.declarations.add(new Declaration(method, schedule, handler));
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
