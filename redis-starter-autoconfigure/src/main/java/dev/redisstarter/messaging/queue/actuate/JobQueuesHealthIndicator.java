package dev.redisstarter.messaging.queue.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.redisstarter.messaging.queue.JobWorkers;
import dev.redisstarter.messaging.queue.UnhandledQueues;

/**
 * The {@code jobqueues} health component: UP when every {@code @JobHandler} worker is {@code running} or
 * {@code paused} (a back-off or rate-limit pause is the queue working as asked), DOWN when one is {@code waiting}
 * for Redis or {@code stopped}. Workers resume by themselves once Redis answers again, so DOWN says "not taking
 * jobs now", not "restart me": keep this component out of a liveness probe. Details per queue: the worker's
 * state, handler, concurrency and how many jobs it holds; {@code unhandled}, when any: the queues this instance
 * enqueued to that hold jobs due with no worker on any instance (with their jobs due). An unhandled queue leaves the
 * status as it is: it is a producer's mistake or a missing deployment, not this instance failing.
 */
public class JobQueuesHealthIndicator extends AbstractHealthIndicator {

	private final JobWorkers workers;

	private final UnhandledQueues unhandled;

	/**
	 * An indicator.
	 * @param workers the application's workers
	 * @param unhandled the queues this instance enqueued to that no worker serves
	 */
	public JobQueuesHealthIndicator(JobWorkers workers, UnhandledQueues unhandled) {
		super("Job queue workers health check failed");
		this.workers = Objects.requireNonNull(workers, "workers must not be null");
		this.unhandled = Objects.requireNonNull(unhandled, "unhandled must not be null");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<JobWorkers.WorkerState> states = this.workers.states();
		boolean taking = states.stream().allMatch((worker) -> worker.state().isTaking());
		Map<String, Object> queues = new LinkedHashMap<>();
		for (JobWorkers.WorkerState worker : states) {
			Map<String, Object> shown = new LinkedHashMap<>();
			shown.put("state", worker.state().wireName());
			shown.put("handler", worker.handler());
			shown.put("concurrency", worker.concurrency());
			shown.put("held", worker.held());
			queues.put(worker.queue(), shown);
		}
		(taking ? builder.up() : builder.down()).withDetail("queues", queues);
		Map<String, Long> unhandledNow = this.unhandled.unhandled();
		if (!unhandledNow.isEmpty()) {
			builder.withDetail("unhandled", unhandledNow);
		}
	}

}
