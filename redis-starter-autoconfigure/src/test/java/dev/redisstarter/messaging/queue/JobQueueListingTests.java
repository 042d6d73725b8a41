package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link JobQueue#jobs}: the first jobs of a state in the order the state implies, their payloads and error messages
 * cut (whole characters only), stack traces and histories left out; on one server and on a Cluster.
 */
class JobQueueListingTests {

	static class Failing {

		@JobHandler(queue = "${test.queue}")
		void run(String text) {
			throw new IllegalStateException("refused: " + "why ".repeat(500));
		}

	}

	@Test
	void listsTheFirstJobsOfAStateWithTheirPayloadsCutOnOneServer() {
		listsTheFirstJobsOfAStateWithTheirPayloadsCut(SharedRedis.standalone());
	}

	@Test
	void listsTheFirstJobsOfAStateWithTheirPayloadsCutOnACluster() {
		listsTheFirstJobsOfAStateWithTheirPayloadsCut(SharedRedis.cluster());
	}

	private static void listsTheFirstJobsOfAStateWithTheirPayloadsCut(RedisDeployment redis) {
		String queue = "listing-" + UUID.randomUUID();
		QueueContexts.runner(redis).withPropertyValues("test.queue=" + queue).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			String big = jobs.enqueue(queue, "x".repeat(1_000_000));
			String faces = jobs.enqueue(queue, "\uD83D\uDE00".repeat(300));
			jobs.enqueue(queue, "small");
			jobs.enqueue(queue, "later", JobOptions.defaults().withDelay(Duration.ofHours(2)));
			String sooner = jobs.enqueue(queue, "sooner", JobOptions.defaults().withDelay(Duration.ofHours(1)));

			JobList waiting = jobs.jobs(queue, JobState.WAITING, 2, 100);
			assertThat(waiting.total()).isEqualTo(3);
			assertThat(waiting.jobs()).extracting(JobInfo::id).containsExactly(big, faces);
			assertThat(waiting.jobs().get(0).payload()).hasSize(100).startsWith("\"xxx");
			String cutFaces = waiting.jobs().get(1).payload();
			assertThat(cutFaces.length()).isBetween(99, 100);
			assertThat(Character.isHighSurrogate(cutFaces.charAt(cutFaces.length() - 1))).as("no half character")
				.isFalse();
			assertThat(cutFaces.codePoints().skip(1)).containsOnly(0x1F600);

			JobList delayed = jobs.jobs(queue, JobState.DELAYED, 10, 100);
			assertThat(delayed.total()).isEqualTo(2);
			assertThat(delayed.jobs().get(0).id()).as("the soonest due first").isEqualTo(sooner);
			assertThat(jobs.jobs(queue, JobState.COMPLETED, 10, 100).jobs()).isEmpty();
			assertThat(jobs.job(queue, big).orElseThrow().payload()).as("the job's own read is whole")
				.hasSize(1_000_002);
		});
	}

	@Test
	void deadJobsAreListedWithTheirMessageCutAndWithoutStackTraceOrHistory() {
		String queue = "listing-" + UUID.randomUUID();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue)
			.withBean(Failing.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String id = jobs.enqueue(queue, "doomed", JobOptions.defaults().withAttempts(1));
				await().atMost(Duration.ofSeconds(10)).until(() -> jobs.counts(queue).dead() == 1);
				JobInfo listed = jobs.jobs(queue, JobState.DEAD, 10, 50).jobs().get(0);
				assertThat(listed.id()).isEqualTo(id);
				assertThat(listed.errorType()).isEqualTo(IllegalStateException.class.getName());
				assertThat(listed.errorMessage()).hasSize(50).startsWith("refused: why");
				assertThat(listed.stackTrace()).isNull();
				assertThat(listed.history()).isEmpty();
				JobInfo whole = jobs.job(queue, id).orElseThrow();
				assertThat(whole.stackTrace()).isNotEmpty();
				assertThat(whole.history()).isNotEmpty();
			});
	}

	@Test
	void refusesACountOrPreviewOutOfRange() {
		QueueContexts.runner(SharedRedis.standalone()).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			assertThatIllegalArgumentException().isThrownBy(() -> jobs.jobs("q", JobState.WAITING, 0, 10));
			assertThatIllegalArgumentException().isThrownBy(() -> jobs.jobs("q", JobState.WAITING, 1_001, 10));
			assertThatIllegalArgumentException().isThrownBy(() -> jobs.jobs("q", JobState.WAITING, 10, 0));
		});
	}

	@Test
	void listingWhileRedisDoesNotAnswerFailsWithinTheQueueTimeout() {
		try (FaultProxy proxy = FaultProxy.inFrontOf(SharedRedis.standalone())) {
			QueueContexts.runner(SharedRedis.standalone())
				.withPropertyValues("spring.data.redis.url=" + proxy.url(), "redis.starter.queue.timeout=300ms")
				.run((context) -> {
					JobQueue jobs = context.getBean(JobQueue.class);
					String queue = "listing-" + UUID.randomUUID();
					jobs.enqueue(queue, "x");
					assertThat(jobs.jobs(queue, JobState.WAITING, 10, 10).total()).isEqualTo(1);
					proxy.set(Fault.BLACK_HOLE);
					for (Runnable listing : List.<Runnable>of(() -> jobs.jobs(queue, JobState.WAITING, 10, 10),
							() -> jobs.workers(queue, 10))) {
						long start = System.nanoTime();
						assertThatExceptionOfType(JobQueueUnavailableException.class).isThrownBy(listing::run);
						assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
					}
				});
		}
	}

}
