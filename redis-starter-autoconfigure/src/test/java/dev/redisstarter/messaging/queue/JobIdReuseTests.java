package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.test.RedisDeployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job id used again after its first job's record expired is a new job: the {@code :completed} and {@code :dead}
 * indexes outlive their records, and none of their trims, purges or retries may touch the new job (issue 21, defect
 * 1: the re-used job was deleted by the completed trim, deleted by "purge all", or put back to waiting while it ran
 * by "retry all"). Run on standalone Redis and on a Cluster by the subclasses.
 */
abstract class JobIdReuseTests {

	abstract RedisDeployment redis();

	record Task(String name) {
	}

	/** Counts the starts of each task; tasks named {@code fail-*} fail; {@code block-*} wait for the test. */
	static class Handler {

		final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();

		final CountDownLatch unblock = new CountDownLatch(1);

		@JobHandler(queue = "${test.queue}", concurrency = 2)
		void handle(Task task) throws InterruptedException {
			this.starts.computeIfAbsent(task.name(), (name) -> new AtomicInteger()).incrementAndGet();
			if (task.name().startsWith("fail-")) {
				throw new IllegalStateException(task.name() + " fails");
			}
			if (task.name().startsWith("block-")) {
				this.unblock.await(10, TimeUnit.SECONDS);
			}
		}

		int started(String name) {
			AtomicInteger count = this.starts.get(name);
			return (count != null) ? count.get() : 0;
		}

	}

	private ApplicationContextRunner runner(String queue, String... properties) {
		return QueueContexts.runner(redis())
			.withPropertyValues("test.queue=" + queue)
			.withPropertyValues(properties)
			.withBean(Handler.class);
	}

	@Test
	void aReusedJobIdIsRunAfterItsOldRecordExpiredThoughTheCompletedTrimPassesOverIt() {
		String queue = "reuse-" + UUID.randomUUID();
		runner(queue, "redis.starter.queue.named." + queue + ".completed.max-count=2").run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Handler handler = context.getBean(Handler.class);
			jobs.enqueue(queue, new Task("first"), JobOptions.defaults().withJobId("report").withRetention(Duration.ofMillis(500)));
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.job(queue, "report").isPresent()
					&& jobs.job(queue, "report").get().state() == JobState.COMPLETED);
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.job(queue, "report").isEmpty());
			assertThat(indexed(context, queue, ":completed", "report")).as("the completed index outlives the record").isTrue();

			String id = jobs.enqueue(queue, new Task("second"),
					JobOptions.defaults().withJobId("report").withDelay(Duration.ofMillis(1500)));
			assertThat(id).isEqualTo("report");
			assertThat(jobs.job(queue, "report")).get().extracting(JobInfo::state).isEqualTo(JobState.DELAYED);
			for (int i = 0; i < 3; i++) {
				jobs.enqueue(queue, new Task("other-" + i));
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> handler.started("other-2") == 1);
			await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> assertThat(jobs.job(queue, "report"))
				.as("the re-used job").get().extracting(JobInfo::state).isEqualTo(JobState.COMPLETED));
			assertThat(handler.started("second")).isEqualTo(1);
		});
	}

	@Test
	void purgingAllDeadLettersDoesNotDeleteAWaitingJobThatReusedADeadLettersId() {
		String queue = "reuse-" + UUID.randomUUID();
		runner(queue, "redis.starter.queue.named." + queue + ".dead.max-age=2s",
				// The stalled check drops dead letters past their age from the index: not before the test looked. Its
				// first run comes at a random moment within one interval, so the interval is far beyond the test's.
				"redis.starter.queue.named." + queue + ".stalled-interval=10m", "redis.starter.queue.unhandled-after=1h").run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Handler handler = context.getBean(Handler.class);
			deadLetterWhoseRecordExpired(context, queue, "x");

			// No worker: the re-used job stays waiting while the dead letters are purged.
			context.getBean(JobWorkers.class).stop();
			jobs.enqueue(queue, new Task("again"), JobOptions.defaults().withJobId("x"));
			long purged = context.getBean(JobDeadLetters.class).purgeAll(queue);

			assertThat(purged).as("only the other dead letter").isEqualTo(1);
			assertThat(jobs.job(queue, "x")).as("the re-used job").get().extracting(JobInfo::state)
				.isEqualTo(JobState.WAITING);
			context.getBean(JobWorkers.class).start();
			await().atMost(Duration.ofSeconds(5)).until(() -> handler.started("again") == 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.job(queue, "x").map(JobInfo::state).orElse(null)
					== JobState.COMPLETED);
		});
	}

	@Test
	void retryingAllDeadLettersDoesNotPutARunningJobThatReusedADeadLettersIdBackToWaiting() {
		String queue = "reuse-" + UUID.randomUUID();
		runner(queue, "redis.starter.queue.named." + queue + ".dead.max-age=2s",
				// The stalled check drops dead letters past their age from the index: not before the test looked. Its
				// first run comes at a random moment within one interval, so the interval is far beyond the test's.
				"redis.starter.queue.named." + queue + ".stalled-interval=10m", "redis.starter.queue.unhandled-after=1h").run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Handler handler = context.getBean(Handler.class);
			deadLetterWhoseRecordExpired(context, queue, "x");

			jobs.enqueue(queue, new Task("block-again"), JobOptions.defaults().withJobId("x"));
			await().atMost(Duration.ofSeconds(5)).until(() -> handler.started("block-again") == 1);
			long retried = context.getBean(JobDeadLetters.class).replayAll(queue);
			// Time for a second worker slot to take the job, had it gone back to waiting.
			Thread.sleep(500);

			assertThat(retried).as("only the other dead letter").isEqualTo(1);
			assertThat(handler.started("block-again")).as("starts of the running job").isEqualTo(1);
			assertThat(jobs.job(queue, "x")).get().extracting(JobInfo::state).isEqualTo(JobState.ACTIVE);
			handler.unblock.countDown();
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.job(queue, "x").map(JobInfo::state).orElse(null)
					== JobState.COMPLETED);
			assertThat(handler.started("block-again")).isEqualTo(1);
		});
	}

	/**
	 * Dead-letters a job with the given id, then another 1.5 s later (so that the {@code :dead} index lives on), and
	 * waits until the first one's record expired (dead.max-age 2s) while the index still lists it.
	 */
	private static void deadLetterWhoseRecordExpired(ApplicationContext context, String queue, String id)
			throws InterruptedException {
		JobQueue jobs = context.getBean(JobQueue.class);
		jobs.enqueue(queue, new Task("fail-first"), JobOptions.defaults().withJobId(id).withAttempts(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> jobs.job(queue, id).map(JobInfo::state).orElse(null)
				== JobState.DEAD);
		Thread.sleep(1500);
		String other = jobs.enqueue(queue, new Task("fail-other"), JobOptions.defaults().withAttempts(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> jobs.job(queue, other).map(JobInfo::state).orElse(null)
				== JobState.DEAD);
		await().atMost(Duration.ofSeconds(3)).until(() -> jobs.job(queue, id).isEmpty());
		assertThat(indexed(context, queue, ":dead", id)).as("the dead index outlives the record").isTrue();
	}

	private static boolean indexed(ApplicationContext context, String queue, String index, String id) {
		String base = context.getBean(QueueKeys.class).base(queue);
		return context.getBean(StringRedisTemplate.class).opsForZSet().score(base + index, id) != null;
	}

}
