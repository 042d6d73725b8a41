package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.redisstarter.messaging.queue.actuate.JobQueuesEndpoint;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters are never dropped silently (issue 21, item 2): those trimmed to keep {@code dead.max-count} are counted
 * in a meter and in the queue's counts (so in {@code /actuator/jobqueues}), and logged once for the burst.
 */
@RealRedis
@ExtendWith(OutputCaptureExtension.class)
class JobDeadLetterTrimTests {

	record Task(int number) {
	}

	static class Failing {

		@JobHandler(queue = "${test.queue}", concurrency = 4)
		void handle(Task task) {
			throw new IllegalStateException("job " + task.number() + " fails");
		}

	}

	@Test
	void deadLettersTrimmedToKeepTheBoundAreCountedShownAndLoggedOncePerBurst(CapturedOutput output) {
		String queue = "trim-" + UUID.randomUUID();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.named." + queue + ".dead.max-count=5",
					// Every job fails: without this the handler's circuit would open and dead-letter nothing.
					"redis.starter.queue.named." + queue + ".circuit.failure-threshold=0",
					"management.endpoints.web.exposure.include=jobqueues")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(Failing.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				jobs.enqueueAll(queue, IntStream.range(0, 20).mapToObj(Task::new).toList(),
						JobOptions.defaults().withAttempts(1));
				await().atMost(Duration.ofSeconds(10))
					.until(() -> meters.get("redis.starter.queue.dead-lettered").tag("queue", queue).counter().count() == 20);

				assertThat(jobs.counts(queue).dead()).isEqualTo(5);
				assertThat(meters.get("redis.starter.queue.dead-letters.trimmed").tag("queue", queue).counter().count())
					.isEqualTo(15);
				assertThat(jobs.counts(queue).deadTrimmed()).isEqualTo(15);
				assertThat(context.getBean(JobQueuesEndpoint.class).queue(queue).deadTrimmed()).isEqualTo(15L);
				String line = "Queue '" + queue + "': ";
				await().atMost(Duration.ofSeconds(3))
					.until(() -> output.getOut().contains(line) && output.getOut().contains("dead letters were dropped"));
				Thread.sleep(1000);
				assertThat(output.getOut().lines().filter((text) -> text.contains(line) && text.contains("were dropped")))
					.as("one line for the burst").hasSize(1);
			});
	}

	@Test
	void aDeadLetterThatPassesItsAgeIsCountedThoughNoLaterDeadLetterArrives() {
		String queue = "trim-" + UUID.randomUUID();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.named." + queue + ".dead.max-age=500ms",
					"redis.starter.queue.named." + queue + ".stalled-interval=200ms")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(Failing.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				String id = jobs.enqueue(queue, new Task(1), JobOptions.defaults().withAttempts(1));
				await().atMost(Duration.ofSeconds(5)).until(() -> jobs.job(queue, id).map(JobInfo::state).orElse(null) == JobState.DEAD);
				// Before the fix only a later dead letter's trim counted the entries past their age: a dead letter that
				// simply reached dead.max-age was gone with its index (which expired with it), uncounted.
				await().atMost(Duration.ofSeconds(5))
					.until(() -> meters.get("redis.starter.queue.dead-letters.trimmed").tag("queue", queue).counter().count() == 1);
				assertThat(jobs.job(queue, id)).isEmpty();
				assertThat(jobs.counts(queue).dead()).isZero();
			});
	}

}
