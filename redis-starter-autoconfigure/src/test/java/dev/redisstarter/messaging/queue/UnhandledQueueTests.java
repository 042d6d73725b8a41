package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.redisstarter.messaging.queue.actuate.JobQueuesEndpoint;
import dev.redisstarter.messaging.queue.actuate.JobQueuesHealthIndicator;
import dev.redisstarter.test.RedisDeployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A queue that holds jobs and has no worker on any instance (a misspelled name) is reported by the producer's
 * instance within {@code unhandled-after} and a quarter of it: {@code /actuator/jobqueues}, the {@code jobqueues}
 * health details, the gauge {@code redis.starter.queue.unhandled}, and one WARN line; once a worker serves it (on
 * another instance) it no longer is, though jobs still wait. Run on standalone Redis and on a Cluster.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class UnhandledQueueTests {

	/** unhandled-after in these tests; the workers' stalled checks run every 500 ms (QueueContexts). */
	private static final Duration AFTER = Duration.ofSeconds(1);

	/** unhandled-after, a quarter of it for the check's period, and room for a slow machine. */
	private static final Duration WITHIN = AFTER.plus(AFTER.dividedBy(4)).plusSeconds(1);

	abstract RedisDeployment redis();

	record Order(int number) {
	}

	/** A worker whose handler holds the first job until released, so that the other jobs keep waiting. */
	static class SlowHandler {

		final CountDownLatch release = new CountDownLatch(1);

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void handle(Order order) throws InterruptedException {
			this.release.await(10, TimeUnit.SECONDS);
		}

	}

	private ApplicationContextRunner producer() {
		return QueueContexts.runner(redis())
			.withPropertyValues("redis.starter.queue.unhandled-after=" + AFTER.toMillis() + "ms",
					"management.endpoints.web.exposure.include=jobqueues")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new);
	}

	@Test
	void aJobSentToAQueueNobodyHandlesIsReportedInTheEndpointHealthAndMeterWithinUnhandledAfterAndLoggedOnce(
			CapturedOutput output) {
		String queue = "misspeled-" + UUID.randomUUID();
		producer().run((context) -> {
			context.getBean(JobQueue.class).enqueue(queue, new Order(1));
			assertThat(shownUnhandled(context, queue)).as("reported before unhandled-after passed").isFalse();

			long sent = System.nanoTime();
			await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> shownUnhandled(context, queue));
			assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(AFTER.minusMillis(300));
			assertThat(unhandledGauge(context, queue)).isEqualTo(1.0);
			Health health = context.getBean(JobQueuesHealthIndicator.class).health(true);
			assertThat(health.getDetails()).containsEntry("unhandled", Map.of(queue, 1L));

			// Several more checks find it unhandled: still one line.
			Thread.sleep(AFTER.toMillis() * 2);
			assertThat(shownUnhandled(context, queue)).isTrue();
			assertThat(output.getOut().split("Queue '" + queue + "' holds", -1)).hasSize(2);
			assertThat(output.getOut()).contains("Queue '" + queue + "' holds 1 jobs due and no worker has served it");
		});
	}

	@Test
	void aQueueIsNoLongerReportedOnceAWorkerOnAnotherInstanceServesItThoughJobsStillWait() {
		String queue = "late-worker-" + UUID.randomUUID();
		producer().run((producer) -> {
			JobQueue jobs = producer.getBean(JobQueue.class);
			for (int i = 0; i < 5; i++) {
				jobs.enqueue(queue, new Order(i));
			}
			await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> shownUnhandled(producer, queue));
			assertThat(unhandledGauge(producer, queue)).isEqualTo(5.0);

			QueueContexts.runner(redis())
				.withPropertyValues("test.queue=" + queue, "redis.starter.queue.defaults.prefetch=0")
				.withBean(SlowHandler.class)
				.run((worker) -> {
					try {
						await().atMost(WITHIN).pollInterval(Duration.ofMillis(50))
							.until(() -> !shownUnhandled(producer, queue));
						assertThat(unhandledGauge(producer, queue)).isZero();
						assertThat(producer.getBean(JobQueuesHealthIndicator.class).health(true).getDetails())
							.doesNotContainKey("unhandled");
						// Served, not emptied: the handler holds one job and the others wait.
						assertThat(jobs.counts(queue).waiting()).isEqualTo(4);
						// And it stays so while the worker runs.
						Thread.sleep(AFTER.toMillis() * 2);
						assertThat(shownUnhandled(producer, queue)).isFalse();
					}
					finally {
						worker.getBean(SlowHandler.class).release.countDown();
					}
				});
		});
	}

	private static boolean shownUnhandled(AssertableApplicationContext context, String queue) {
		JobQueuesEndpoint.QueueDescriptor shown = context.getBean(JobQueuesEndpoint.class).queues().queues().get(queue);
		assertThat(shown).as("the queue this instance enqueued to is listed").isNotNull();
		return shown.unhandled();
	}

	private static double unhandledGauge(AssertableApplicationContext context, String queue) {
		Gauge gauge = context.getBean(MeterRegistry.class)
			.find("redis.starter.queue.unhandled")
			.tag("queue", queue)
			.gauge();
		assertThat(gauge).isNotNull();
		return gauge.value();
	}

}
