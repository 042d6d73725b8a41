package dev.redisstarter.messaging.queue;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;

import dev.redisstarter.core.Durations;
import dev.redisstarter.core.InvalidAnnotationException;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.StarterThreads;

/**
 * Runs the application's job schedules ({@code redis.starter.queue.schedules.*} and {@link JobSchedule} methods)
 * on one daemon thread, {@code job-schedules}, started and stopped with the context.
 *
 * <p>Every instance runs every schedule. At each tick, each instance runs {@code schedule-tick.lua} on the key
 * {@code <prefix>queue:{<queue>}:schedule:<name>} (a hash: {@code last}, the latest tick recorded, and
 * {@code job}; time to live the longer of 30 days and two periods, refreshed at each tick): the first call for a
 * tick records it and enqueues its job (id {@code schedule:<name>:<tick in epoch ms>}) in the same script, the
 * others find it recorded. So each tick enqueues exactly once, whatever the number of instances, and a job is
 * never lost between the decision and the enqueue. Ticks come from each instance's clock: keep the clocks
 * synchronized (NTP); an instance whose clock runs ahead enqueues early for all.
 *
 * <p>A tick that comes while the instance runs is on time: when Redis does not answer, the instance retries it
 * (from 100 ms up to every 2 s) until the next tick comes, then tries that one. A tick that passed before the
 * instance started (by more than a second, or half a period when shorter) is a missed one when the state in
 * Redis is older: {@link MissedTicks} decides. A schedule without state (new, renamed, or idle for longer than
 * its state's time to live) enqueues nothing for ticks before it ran.
 *
 * <p>Counter {@code redis.starter.queue.schedule.ticks} tagged {@code schedule} and {@code result}
 * ({@code enqueued}, {@code missed}: a missed tick enqueued late, {@code skipped}: a missed tick without a job)
 * counts each tick once, in the instance that recorded it (a tick recorded by a script that Redis ran after its
 * caller's deadline had passed is not counted).
 */
public final class JobSchedules implements SmartLifecycle, SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(JobSchedules.class);

	private static final String PROPERTIES = "redis.starter.queue.schedules.";

	private final JobScheduleAnnotationBeanPostProcessor annotated;

	private final JobHandlerAnnotationBeanPostProcessor handlers;

	private final List<JobScheduleDefinition> configured;

	private final RedisCalls calls;

	private final QueueKeys keys;

	private final QueueSettingsByName settings;

	private final QueueMetrics queueMetrics;

	private final @Nullable MeterRegistry registry;

	private final UnaryOperator<String> placeholders;

	private final Clock clock;

	private final LuaScript<?> script = LuaScript.load("dev/redisstarter/queue/schedule-tick.lua", List.class);

	private final Object monitor = new Object();

	private volatile List<ActiveSchedule> schedules = List.of();

	private @Nullable Thread thread;

	private volatile boolean running;

	private final @Nullable UnhandledQueues unhandled;

	/**
	 * Schedules from properties and annotations, checked once all singletons exist.
	 * @param annotated the {@link JobSchedule} methods found
	 * @param handlers the {@link JobHandler} methods found, whose queues schedules may use
	 * @param configured the schedules from properties (enabled ones, checked), by name
	 * @param calls scripts, with the queue deadline
	 * @param keys the queue keys
	 * @param settings each queue's settings (attempts, backoff, attempt timeout of the jobs)
	 * @param queueMetrics the queue meters ({@code redis.starter.queue.enqueued} counts scheduled jobs too)
	 * @param registry where the tick counter goes, or null
	 * @param placeholders resolves {@code ${...}} in annotation attributes
	 * @param clock the clock ticks are computed from
	 * @param unhandled told of each queue a schedule enqueued to, so that one nobody handles is reported, or null
	 */
	public JobSchedules(JobScheduleAnnotationBeanPostProcessor annotated, JobHandlerAnnotationBeanPostProcessor handlers,
			List<JobScheduleDefinition> configured, RedisCalls calls, QueueKeys keys, QueueSettingsByName settings,
			QueueMetrics queueMetrics, @Nullable MeterRegistry registry, UnaryOperator<String> placeholders,
			Clock clock, @Nullable UnhandledQueues unhandled) {
		this.unhandled = unhandled;
		this.annotated = annotated;
		this.handlers = handlers;
		this.configured = List.copyOf(configured);
		this.calls = calls;
		this.keys = keys;
		this.settings = settings;
		this.queueMetrics = queueMetrics;
		this.registry = registry;
		this.placeholders = placeholders;
		this.clock = clock;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Set<String> handled = new HashSet<>(this.settings.names());
		this.handlers.declarations()
			.forEach((declaration) -> handled.add(this.placeholders.apply(declaration.annotation().queue())));
		Map<String, String> origins = new LinkedHashMap<>();
		List<JobScheduleDefinition> definitions = new ArrayList<>();
		for (JobScheduleDefinition definition : this.configured) {
			if (!handled.contains(definition.queue())) {
				throw new IllegalArgumentException("Invalid " + PROPERTIES + definition.name() + ".queue: no @JobHandler"
						+ " of this application takes queue '" + definition.queue() + "' and redis.starter.queue.named."
						+ definition.queue() + " is not set (set one of them when another application handles it)");
			}
			origins.put(definition.name(), PROPERTIES + definition.name());
			definitions.add(definition);
		}
		for (JobScheduleAnnotationBeanPostProcessor.Declaration declaration : this.annotated.declarations()) {
			JobScheduleDefinition definition = fromAnnotation(declaration);
			if (definition == null) {
				continue;
			}
			String taken = origins.putIfAbsent(definition.name(), declaration.method().toGenericString());
			if (taken != null) {
				throw new InvalidAnnotationException("@JobSchedule", declaration.method(),
						"schedule name '" + definition.name() + "' is taken by " + taken, null);
			}
			definitions.add(definition);
		}
		List<ActiveSchedule> active = new ArrayList<>();
		for (JobScheduleDefinition definition : definitions) {
			active.add(new ActiveSchedule(definition, this.calls, this.script, this.keys,
					this.settings.of(definition.queue()), this.queueMetrics, this.registry, this.unhandled));
		}
		this.schedules = List.copyOf(active);
	}

	private @Nullable JobScheduleDefinition fromAnnotation(JobScheduleAnnotationBeanPostProcessor.Declaration declaration) {
		JobSchedule schedule = declaration.schedule();
		try {
			String cron = this.placeholders.apply(schedule.cron()).strip();
			if (cron.equals("-")) {
				return null;
			}
			String zone = this.placeholders.apply(schedule.zone()).strip();
			String fixedRate = this.placeholders.apply(schedule.fixedRate()).strip();
			return new JobScheduleDefinition(this.placeholders.apply(schedule.name()),
					this.placeholders.apply(declaration.handler().queue()), cron.isEmpty() ? null : cron,
					fixedRate.isEmpty() ? null : Durations.parse(fixedRate), zone(zone),
					this.placeholders.apply(schedule.payload()), schedule.missed());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidAnnotationException("@JobSchedule", declaration.method(), ex.getMessage(), ex);
		}
	}

	private static ZoneId zone(String zone) {
		if (zone.isEmpty()) {
			return JobScheduleDefinition.DEFAULT_ZONE;
		}
		try {
			return ZoneId.of(zone);
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("zone '" + zone + "' is not a time zone id (such as Europe/Paris or UTC): "
					+ ex.getMessage(), ex);
		}
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.running || this.schedules.isEmpty()) {
				this.running = true;
				return;
			}
			this.running = true;
			long startedAt = this.clock.millis();
			Thread worker = StarterThreads.background("queue-schedules", () -> run(startedAt));
			this.thread = worker;
			worker.start();
		}
	}

	private void run(long startedAt) {
		while (this.running) {
			long now = this.clock.millis();
			long wake = Long.MAX_VALUE;
			for (ActiveSchedule schedule : this.schedules) {
				try {
					wake = Math.min(wake, schedule.advance(now, startedAt));
				}
				catch (RuntimeException ex) {
					// Not a Redis failure (those are retried): keep the other schedules going, look again soon.
					logger.error("Schedule '" + schedule.definition().name() + "' failed", ex);
					wake = Math.min(wake, now + 1000);
				}
			}
			synchronized (this.monitor) {
				long wait;
				while (this.running && (wait = wake - this.clock.millis()) > 0) {
					try {
						this.monitor.wait(Math.min(wait, Duration.ofHours(1).toMillis()));
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
		}
	}

	@Override
	public void stop() {
		Thread worker;
		synchronized (this.monitor) {
			this.running = false;
			worker = this.thread;
			this.thread = null;
			this.monitor.notifyAll();
		}
		if (worker != null) {
			try {
				// At most one script is in flight, bounded by the queue deadline.
				worker.join(this.calls.deadline().toMillis() + 2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Each schedule as this instance sees it.
	 * @return one per enabled schedule
	 */
	public List<ScheduleState> states() {
		long now = this.clock.millis();
		List<ScheduleState> states = new ArrayList<>();
		for (ActiveSchedule schedule : this.schedules) {
			JobScheduleDefinition definition = schedule.definition();
			long next = schedule.ticks().next(now);
			long last = schedule.lastTick();
			states.add(new ScheduleState(definition.name(), definition.queue(), definition.expression(),
					definition.zone(), definition.missed(), (next != Long.MAX_VALUE) ? Instant.ofEpochMilli(next) : null,
					(last != ScheduleTicks.NONE) ? Instant.ofEpochMilli(last) : null));
		}
		return states;
	}

}
