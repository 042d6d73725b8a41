package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;

import dev.redisstarter.messaging.observation.DefaultReceiveObservationConvention;
import dev.redisstarter.messaging.observation.JobHandlingObservationConvention;
import dev.redisstarter.messaging.observation.MessagingObservation;
import dev.redisstarter.messaging.observation.RedisReceiveContext;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator sees: the trace context of an enqueue continues in the handling on whichever worker runs it,
 * and every meter the README lists counts what happened.
 */
@RealRedis
class JobQueueObservabilityTests {

	record Task(String name) {
	}

	static class Tasks {

		@JobHandler(queue = "${test.queue}", concurrency = 2)
		void run(Task task, JobContext context) {
			if (task.name().startsWith("fails")) {
				throw new IllegalStateException("task " + task.name() + " fails");
			}
		}

	}

	@Test
	void theTraceContextOfAnEnqueueContinuesInTheHandling() {
		String queue = "traced-" + UUID.randomUUID();
		Map<String, String> seen = new ConcurrentHashMap<>();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new ObservationHandler<SenderContext<Map<String, String>>>() {
			@Override
			public void onStart(SenderContext<Map<String, String>> context) {
				context.getSetter().set(context.getCarrier(), "traceparent", "00-trace-7-01");
				seen.put("sender", context.getName());
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof SenderContext;
			}
		});
		observations.observationConfig().observationHandler(new ObservationHandler<ReceiverContext<Map<String, String>>>() {
			@Override
			public void onStart(ReceiverContext<Map<String, String>> context) {
				String parent = context.getGetter().get(context.getCarrier(), "traceparent");
				seen.put("receiver", (parent != null) ? parent : "none");
				seen.put("receiverName", context.getName());
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof ReceiverContext;
			}
		});
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue)
			.withBean(ObservationRegistry.class, () -> observations)
			.withBean(Tasks.class)
			.run((context) -> {
				context.getBean(JobQueue.class).enqueue(queue, new Task("traced"));
				await().atMost(Duration.ofSeconds(5)).until(() -> seen.containsKey("receiver"));
				assertThat(seen).containsEntry("sender", "redis.starter.queue.enqueue")
					.containsEntry("receiver", "00-trace-7-01")
					.containsEntry("receiverName", "redis.starter.queue.handle");
			});
	}

	@Test
	void theMetersCountEnqueuesStartsCompletionsFailuresRetriesAndDeadLetters() {
		String queue = "metered-" + UUID.randomUUID();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.defaults.stalled-interval=200ms")
			.withBean(MeterRegistry.class, () -> meters)
			.withBean(Tasks.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				for (int i = 0; i < 5; i++) {
					jobs.enqueue(queue, new Task("fine-" + i));
				}
				jobs.enqueue(queue, new Task("fails"), JobOptions.defaults().withAttempts(2));
				await().atMost(Duration.ofSeconds(10)).until(() -> jobs.counts(queue).dead() == 1
						&& jobs.counts(queue).completed() == 5);
				await().atMost(Duration.ofSeconds(5)).until(() -> count(meters, "completed", queue) == 5);
				assertThat(count(meters, "enqueued", queue)).isEqualTo(6);
				assertThat(count(meters, "started", queue)).isEqualTo(7);
				assertThat(count(meters, "failed", queue)).isEqualTo(2);
				assertThat(count(meters, "retried", queue)).isEqualTo(1);
				assertThat(count(meters, "dead-lettered", queue)).isEqualTo(1);
				assertThat(meters.get("redis.starter.queue.waiting").tag("queue", queue).timer().count()).isEqualTo(7);
				assertThat(meters.get("redis.starter.queue.handling").tag("queue", queue).timer().count()).isEqualTo(7);
				// The gauges follow the counts at the next maintenance run.
				await().atMost(Duration.ofSeconds(5))
					.until(() -> meters.get("redis.starter.queue.jobs").tags("queue", queue, "state", "dead").gauge()
						.value() == 1.0);
				assertThat(meters.get("redis.starter.queue.jobs").tags("queue", queue, "state", "waiting").gauge().value())
					.isZero();
			});
	}

	@Test
	void eachJobIsTimedOnceByItsObservationNamedByTheApplicationsConvention() {
		String queue = "observed-" + UUID.randomUUID();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue)
			.withBean(MeterRegistry.class, () -> meters)
			.withBean(ObservationRegistry.class, () -> observations)
			.withBean(JobHandlingObservationConvention.class, TenantJobConvention::new)
			.withBean(Tasks.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				for (int i = 0; i < 3; i++) {
					jobs.enqueue(queue, new Task("fine-" + i));
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> jobs.counts(queue).completed() == 3);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> meters.find("redis.starter.queue.handle").tag("tenant", "acme").timer() != null
							&& meters.get("redis.starter.queue.handle").tag("tenant", "acme").timer().count() == 3);
				assertThat(meters.get("redis.starter.queue.handle")
					.tags("tenant", "acme", "messaging.destination.name", queue)
					.timer()
					.count()).isEqualTo(3);
				assertThat(meters.find("redis.starter.queue.handling").timers()).as("no second timer of the same work")
					.isEmpty();
				assertThat(meters.get("redis.starter.queue.enqueue").tag("messaging.destination.name", queue).timer().count())
					.isEqualTo(3);
			});
	}

	/** The default naming of job handling, plus a key of the application's. */
	static final class TenantJobConvention extends DefaultReceiveObservationConvention
			implements JobHandlingObservationConvention {

		TenantJobConvention() {
			super(MessagingObservation.JOB_HANDLING);
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(RedisReceiveContext context) {
			return super.getLowCardinalityKeyValues(context).and("tenant", "acme");
		}

	}

	private static double count(SimpleMeterRegistry meters, String what, String queue) {
		return meters.get("redis.starter.queue." + what).tag("queue", queue).counter().count();
	}

}
