package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@RealRedis
@Tag("compat")
class StandaloneJobQueueTests {

	record Email(String to, String subject) {
	}

	static class Mailer {

		final QueueContexts.Received<Email> sent = new QueueContexts.Received<>();

		final QueueContexts.Received<Integer> failedAttempts = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}", concurrency = 4)
		void send(Email email, JobContext context) {
			if (email.to().startsWith("fail")) {
				this.failedAttempts.add(context.attempt());
				throw new IllegalStateException("mailbox " + email.to() + " does not exist");
			}
			this.sent.add(email);
		}

	}

	private static String queue() {
		return "emails-" + UUID.randomUUID();
	}

	@Test
	void jobsAreHandledOnceAndCompleted() {
		String queue = queue();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue)
			.withBean(Mailer.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				List<String> ids = IntStream.range(0, 200)
					.mapToObj((i) -> jobs.enqueue(queue, new Email("user" + i + "@example.com", "hello")))
					.toList();
				Mailer mailer = context.getBean(Mailer.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> mailer.sent.size() == 200);
				await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).completed() == 200);
				assertThat(jobs.job(queue, ids.get(0))).get()
					.satisfies((job) -> {
						assertThat(job.state()).isEqualTo(JobState.COMPLETED);
						assertThat(job.attempts()).isEqualTo(1);
					});
				QueueCounts counts = jobs.counts(queue);
				assertThat(counts.waiting() + counts.active() + counts.delayed() + counts.dead()).isZero();
			});
	}

	@Test
	void aFailingJobIsRetriedThenDeadLetteredAfterExactlyItsAttemptsAndRetryRunsItAgain() {
		String queue = queue();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue)
			.withBean(Mailer.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				JobDeadLetters dead = context.getBean(JobDeadLetters.class);
				String id = jobs.enqueue(queue, new Email("fail@example.com", "x"), JobOptions.defaults().withAttempts(3));
				Mailer mailer = context.getBean(Mailer.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> jobs.counts(queue).dead() == 1);
				assertThat(mailer.failedAttempts.snapshot()).containsExactly(1, 2, 3);
				JobInfo job = dead.list(queue, 0, 10).get(0);
				assertThat(job.id()).isEqualTo(id);
				assertThat(job.state()).isEqualTo(JobState.DEAD);
				assertThat(job.errorType()).isEqualTo(IllegalStateException.class.getName());
				assertThat(job.errorMessage()).contains("does not exist");
				assertThat(job.stackTrace()).contains("at ");
				assertThat(job.history()).extracting(JobError::attempt).containsExactly(1, 2, 3);
				assertThat(dead.replay(queue, id)).isTrue();
				await().atMost(Duration.ofSeconds(10)).until(() -> mailer.failedAttempts.size() == 6);
				await().atMost(Duration.ofSeconds(10)).until(() -> jobs.counts(queue).dead() == 1);
			});
	}

}
