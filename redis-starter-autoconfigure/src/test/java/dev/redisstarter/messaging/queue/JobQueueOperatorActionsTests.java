package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator's actions on a queue: a delayed job run now ({@code promote}), a pause ended at once
 * ({@code resume}); on one server and on a Cluster.
 */
class JobQueueOperatorActionsTests {

	record Task(String name) {
	}

	static class Recording {

		final QueueContexts.Received<String> ran = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}")
		void run(Task task) {
			this.ran.add(task.name());
		}

	}

	@Test
	void aDelayedJobPromotedRunsNowOnOneServer() {
		aDelayedJobPromotedRunsNow(SharedRedis.standalone());
	}

	@Test
	void aDelayedJobPromotedRunsNowOnACluster() {
		aDelayedJobPromotedRunsNow(SharedRedis.cluster());
	}

	private static void aDelayedJobPromotedRunsNow(RedisDeployment redis) {
		String queue = "operator-" + UUID.randomUUID();
		QueueContexts.runner(redis).withPropertyValues("test.queue=" + queue).withBean(Recording.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Recording recording = context.getBean(Recording.class);
			String id = jobs.enqueue(queue, new Task("later"), JobOptions.defaults().withDelay(Duration.ofHours(1)));
			assertThat(jobs.counts(queue).delayed()).isEqualTo(1);
			assertThat(jobs.promote(queue, id)).isTrue();
			await().atMost(Duration.ofSeconds(5)).until(() -> recording.ran.snapshot().contains("later"));
			assertThat(jobs.promote(queue, id)).as("no longer delayed").isFalse();
			assertThat(jobs.promote(queue, "never-enqueued")).isFalse();
			assertThat(jobs.counts(queue).delayed()).isZero();
		});
	}

	@Test
	void aPausedQueueResumedRunsItsJobsAtOnceOnOneServer() {
		aPausedQueueResumedRunsItsJobs(SharedRedis.standalone());
	}

	@Test
	void aPausedQueueResumedRunsItsJobsAtOnceOnACluster() {
		aPausedQueueResumedRunsItsJobs(SharedRedis.cluster());
	}

	private static void aPausedQueueResumedRunsItsJobs(RedisDeployment redis) {
		String queue = "operator-" + UUID.randomUUID();
		QueueContexts.runner(redis).withPropertyValues("test.queue=" + queue).withBean(Recording.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Recording recording = context.getBean(Recording.class);
			jobs.pause(queue, Duration.ofHours(1));
			jobs.enqueue(queue, new Task("held"));
			Thread.sleep(500);
			assertThat(recording.ran.snapshot()).as("paused").isEmpty();
			assertThat(jobs.resume(queue)).isGreaterThan(Duration.ofMinutes(59));
			await().atMost(Duration.ofSeconds(5)).until(() -> recording.ran.snapshot().contains("held"));
			assertThat(jobs.resume(queue)).as("not paused any more").isZero();
		});
	}

}
