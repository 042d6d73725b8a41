package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.redisstarter.messaging.queue.JobQueueResilienceTests.Recording;
import dev.redisstarter.messaging.queue.JobQueueSchedulingTests.BackingOff;
import dev.redisstarter.messaging.queue.JobQueueSchedulingTests.Task;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Edges of the worker's promises (each failed against the first version, 750e8af): a job that asked for a back-off
 * runs again when the pause ends, an attempt past its timeout counts as failed however its handler ends, and jobs
 * taken by a take whose reply was lost are released rather than charged a stall.
 */
@RealRedis
class JobQueueEdgeCaseTests {

	@Test
	void aJobThatAskedForABackOffRunsAgainWhenThePauseEndsThoughNothingElseIsEnqueued() {
		String queue = queue();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.defaults.idle-wait=10s")
			.withBean(BackingOff.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				BackingOff handler = context.getBean(BackingOff.class);
				// A warm-up job first, so that no signal is left over and the worker waits on the signal list.
				jobs.enqueue(queue, new Task("warm-up"));
				await().atMost(Duration.ofSeconds(5)).until(() -> handler.starts.containsKey("warm-up"));
				Thread.sleep(300);
				jobs.enqueue(queue, new Task("backs-off"));
				await().atMost(Duration.ofSeconds(5)).until(() -> handler.thrownAt.get() > 0);
				// Long enough to see when it does run again (idle-wait is 10 s), rather than only that it did not.
				await().atMost(Duration.ofSeconds(12)).until(() -> handler.starts.get("backs-off").size() == 2);
				long again = handler.starts.get("backs-off").get(1).atMillis() - handler.thrownAt.get();
				System.out.println("A job that backed off for 1000 ms ran again after " + again + " ms");
				assertThat(again).isBetween(900L, 1300L);
			});
	}

	/** Swallows the interrupt of its first attempt and returns normally, as much code does. */
	static class Swallowing {

		final QueueContexts.Received<Integer> attempts = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void run(Task task, JobContext context) {
			this.attempts.add(context.attempt());
			if (context.attempt() == 1) {
				try {
					Thread.sleep(2000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

	@Test
	void anAttemptPastItsTimeoutCountsAsFailedEvenWhenItsHandlerSwallowsTheInterrupt() {
		String queue = queue();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue)
			.withBean(Swallowing.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String id = jobs.enqueue(queue, new Task("slow"),
						JobOptions.defaults().withAttemptTimeout(Duration.ofMillis(300)).withAttempts(2));
				await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).completed() == 1);
				JobInfo job = jobs.job(queue, id).orElseThrow();
				assertThat(job.history()).as("JobOptions.attemptTimeout: 'interrupted and counted as failed'")
					.extracting(JobError::type)
					.containsExactly(JobTimeoutException.class.getName());
				assertThat(context.getBean(Swallowing.class).attempts.snapshot()).containsExactly(1, 2);
			});
	}

	@Test
	void aJobWhoseTakeReplyWasLostWhileRedisWasFrozenIsNotChargedAStall() {
		String queue = queue();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			QueueContexts.runner(server)
				.withPropertyValues("test.queue=" + queue, "redis.starter.resilience.liveness-timeout=500ms",
						"redis.starter.resilience.open-duration=300ms", "redis.starter.queue.defaults.lease=3s")
				.withBean(Recording.class)
				.run((context) -> {
					JobQueue jobs = context.getBean(JobQueue.class);
					Recording handler = context.getBean(Recording.class);
					List<String> names = IntStream.range(0, 60).mapToObj((i) -> "short-" + i).toList();
					List<String> ids = jobs.enqueueAll(queue, names.stream().map(Task::new).toList(),
							JobOptions.defaults());
					await().atMost(Duration.ofSeconds(5)).until(() -> handler.finished.size() >= 8);
					server.freeze();
					try {
						Thread.sleep(2000);
					}
					finally {
						server.thaw();
					}
					await().atMost(Duration.ofSeconds(12)).until(() -> ids.stream()
						.allMatch((id) -> jobs.job(queue, id).map(JobInfo::state).orElse(null) == JobState.COMPLETED));
					// A take sent while Redis was frozen runs at the thaw, after the worker gave up on its reply: its
					// jobs sit active, unrun, until their lease (30 s by default) expires, and are charged a stall
					// (with max-stalled 1, a second such blip dead-letters a job that never ran).
					List<String> chargedUnrun = names.stream()
						.filter((name) -> handler.started.get(name).get() == 1)
						.filter((name) -> jobs.job(queue, ids.get(names.indexOf(name))).orElseThrow().stalled() > 0)
						.toList();
					assertThat(chargedUnrun).as("jobs run once yet counted as stalled").isEmpty();
				});
		}
	}

	private static String queue() {
		return "findings-" + UUID.randomUUID();
	}

}
