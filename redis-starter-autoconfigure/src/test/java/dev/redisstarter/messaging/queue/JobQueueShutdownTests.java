package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A context closed while its handlers run: a handler that finishes within {@code shutdown-wait} completes its job;
 * jobs whose handlers outlast it, and jobs taken ahead but never started, are released at once for another
 * instance (long before their 30 s lease would have expired), and the released attempt does not count.
 */
@RealRedis
class JobQueueShutdownTests {

	private static final Duration SHUTDOWN_WAIT = Duration.ofMillis(500);

	record Task(String name, boolean slow) {
	}

	/** The instance being closed: slow jobs block far past the shutdown wait, quick ones finish once it begins. */
	static class Closing {

		final Set<String> started = ConcurrentHashMap.newKeySet();

		final Set<String> completed = ConcurrentHashMap.newKeySet();

		final CountDownLatch shutdownBegins = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@JobHandler(queue = "${test.queue}", concurrency = 2)
		void handle(Task task) throws InterruptedException {
			this.started.add(task.name());
			if (task.slow()) {
				this.release.await(30, TimeUnit.SECONDS);
			}
			else {
				this.shutdownBegins.await(30, TimeUnit.SECONDS);
				Thread.sleep(200);
			}
			this.completed.add(task.name());
		}

	}

	/** The instance that takes over: runs everything at once and notes when and at which attempt. */
	static class Successor {

		final Map<String, Long> startedAt = new ConcurrentHashMap<>();

		final Map<String, Integer> attempt = new ConcurrentHashMap<>();

		@JobHandler(queue = "${test.queue}", concurrency = 4)
		void handle(Task task, JobContext context) {
			this.startedAt.put(task.name(), System.nanoTime());
			this.attempt.put(task.name(), context.attempt());
		}

	}

	@Test
	void closingReleasesRunningAndTakenAheadJobsToAnotherInstanceAtOnceWithoutCountingTheAttempt() {
		String queue = "shutdown-" + UUID.randomUUID();
		Closing closing = new Closing();
		Successor successor = new Successor();
		try {
			ApplicationContextRunner closingInstance = runner(queue)
				.withPropertyValues("redis.starter.queue.defaults.prefetch=2")
				.withBean(Closing.class, () -> closing);
			closingInstance.run((a) -> {
				JobQueue jobs = a.getBean(JobQueue.class);
				// Two handler threads and two jobs taken ahead: "slow" and "quick" run, "ahead-1" and "ahead-2" wait.
				List<String> ids = jobs.enqueueAll(queue, List.of(new Task("slow", true), new Task("quick", false),
						new Task("ahead-1", false), new Task("ahead-2", false)), JobOptions.defaults());
				await().atMost(Duration.ofSeconds(10)).until(() -> closing.started.size() == 2);
				await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
					QueueCounts counts = jobs.counts(queue);
					assertThat(counts.active()).as("all four held by the closing instance").isEqualTo(4);
					assertThat(counts.waiting()).isZero();
				});
				assertThat(closing.started).containsExactlyInAnyOrder("slow", "quick");

				runner(queue).withBean(Successor.class, () -> successor).run((b) -> {
					JobQueue jobsOfB = b.getBean(JobQueue.class);
					// b idles on the queue's signal (its idle wait is 5 s): nothing is waiting.
					Thread.sleep(300);
					assertThat(successor.startedAt).isEmpty();

					closing.shutdownBegins.countDown();
					long closeStart = System.nanoTime();
					a.close();
					Duration closeTook = Duration.ofNanos(System.nanoTime() - closeStart);
					assertThat(closeTook).as("waited for the handlers, no longer than the shutdown wait")
						.isBetween(SHUTDOWN_WAIT.minusMillis(100), SHUTDOWN_WAIT.plusSeconds(2));

					await().atMost(Duration.ofSeconds(3))
						.until(() -> successor.startedAt.keySet().containsAll(Set.of("slow", "ahead-1", "ahead-2")));
					Duration handedOver = Duration.ofNanos(successor.startedAt.values()
						.stream()
						.mapToLong(Long::longValue)
						.max()
						.getAsLong() - closeStart);
					assertThat(handedOver).as("released, not left to the 30 s lease").isLessThan(Duration.ofSeconds(3));
					assertThat(closing.completed).as("the quick handler finished within the shutdown wait")
						.containsExactly("quick");
					assertThat(successor.startedAt).as("what completed is not run again").doesNotContainKey("quick");
					assertThat(closing.started).as("jobs taken ahead never started on the closing instance")
						.doesNotContain("ahead-1", "ahead-2");
					assertThat(successor.attempt).as("the released attempt does not count")
						.containsOnly(Map.entry("slow", 1), Map.entry("ahead-1", 1), Map.entry("ahead-2", 1));

					await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
						for (String id : ids) {
							JobInfo job = jobsOfB.job(queue, id).orElseThrow();
							assertThat(job.state()).as(id).isEqualTo(JobState.COMPLETED);
							assertThat(job.attempts()).as("attempts of " + id).isEqualTo(1);
							assertThat(job.stalled()).as("stalls of " + id).isZero();
						}
					});
				});
			});
		}
		finally {
			closing.release.countDown();
		}
	}

	/** Turns the shutdown's interrupt into an exception of its own, as much code does. */
	static class Rethrowing {

		final CountDownLatch started = new CountDownLatch(1);

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void handle(Task task) {
			this.started.countDown();
			try {
				Thread.sleep(30_000);
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException("the call was interrupted", ex);
			}
		}

	}

	@Test
	void aHandlerThatRethrowsTheShutdownInterruptAsAnotherExceptionHasItsJobReleasedWithoutCountingTheAttempt() {
		String queue = "shutdown-" + UUID.randomUUID();
		Rethrowing handler = new Rethrowing();
		runner(queue).withBean(Rethrowing.class, () -> handler).run((a) -> {
			JobQueue jobs = a.getBean(JobQueue.class);
			String id = jobs.enqueue(queue, new Task("long", true));
			assertThat(handler.started.await(5, TimeUnit.SECONDS)).isTrue();
			a.close();
			runner(queue).run((b) -> {
				JobInfo job = b.getBean(JobQueue.class).job(queue, id).orElseThrow();
				assertThat(job.state()).as("released, not retried later").isEqualTo(JobState.WAITING);
				assertThat(job.attempts()).as("attempts counted").isZero();
				assertThat(job.history()).as("failures recorded").isEmpty();
			});
		});
	}

	private static ApplicationContextRunner runner(String queue) {
		return QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue,
					"redis.starter.queue.shutdown-wait=" + SHUTDOWN_WAIT.toMillis() + "ms");
	}

}
