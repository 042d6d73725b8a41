package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A YAML schedule whose queue is served by another application (declared here only by its
 * {@code redis.starter.queue.named.<queue>} settings, as start-up requires) enqueues every tick; when that
 * application is not deployed, the jobs pile up. The instance that enqueued them is the one that can tell, as for
 * {@link JobQueue#enqueue}: the queue must be reported unhandled within about {@code unhandled-after}.
 */
@RealRedis
class UnhandledScheduledQueueTests {

	private static final Duration AFTER = Duration.ofSeconds(1);

	@Test
	void aQueueOnlyAYamlScheduleEnqueuesToIsReportedUnhandledWhenNoWorkerServesIt() {
		String queue = "reports-" + UUID.randomUUID();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("redis.starter.queue.unhandled-after=" + AFTER.toMillis() + "ms",
					"redis.starter.queue.named." + queue + ".attempts=3",
					"redis.starter.queue.schedules.nightly.queue=" + queue,
					"redis.starter.queue.schedules.nightly.fixed-rate=200ms")
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				await().atMost(Duration.ofSeconds(3)).until(() -> jobs.counts(queue).waiting() >= 2);
				// Jobs wait and no worker anywhere serves the queue: it should be reported within
				// unhandled-after and a quarter (plus room for a slow machine).
				await().atMost(AFTER.plus(AFTER.dividedBy(4)).plusSeconds(2))
					.pollInterval(Duration.ofMillis(50))
					.untilAsserted(() -> assertThat(context.getBean(UnhandledQueues.class).unhandled())
						.as("queues reported unhandled (the schedule's queue is never watched: ActiveSchedule does"
								+ " not tell UnhandledQueues it enqueued)")
						.containsKey(queue));
			});
	}

}
