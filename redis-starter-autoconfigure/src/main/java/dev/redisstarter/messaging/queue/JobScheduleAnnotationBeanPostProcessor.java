package dev.redisstarter.messaging.queue;

import java.lang.reflect.Method;

import org.springframework.core.annotation.AnnotatedElementUtils;

import dev.redisstarter.core.AnnotatedMethodCollector;
import dev.redisstarter.core.InvalidAnnotationException;

/**
 * Finds {@link JobSchedule} methods on beans and checks that each is a {@link JobHandler} method (a schedule
 * without one stops start-up); {@link JobSchedules} checks the attributes and runs the schedules.
 */
public class JobScheduleAnnotationBeanPostProcessor
		extends AnnotatedMethodCollector<JobSchedule, JobScheduleAnnotationBeanPostProcessor.Declaration> {

	/** A method found, with its annotations. */
	record Declaration(Method method, JobSchedule schedule, JobHandler handler) {
	}

	/**
	 * A collector of {@link JobSchedule} methods.
	 */
	public JobScheduleAnnotationBeanPostProcessor() {
		super(JobSchedule.class);
	}

	@Override
	protected Declaration declare(Object bean, Method method, JobSchedule schedule) {
		JobHandler handler = AnnotatedElementUtils.findMergedAnnotation(method, JobHandler.class);
		if (handler == null) {
			throw new InvalidAnnotationException("@JobSchedule", method, InvalidAnnotationException.Kind.SETUP,
					"it must be on a @JobHandler method: the schedule enqueues into that handler's queue", null);
		}
		return new Declaration(method, schedule, handler);
	}

}
