package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Input the queue must refuse or carry, and data in Redis it must survive (found in review): oversized payloads,
 * null payloads, large backlogs of large jobs, and an outcome Redis refuses.
 */
@RealRedis
@Tag("compat")
class JobQueueInputAndRecoveryTests {

	record Blob(String name, String data) {
	}

	static class Blobs {

		final QueueContexts.Received<String> handled = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}", concurrency = 4)
		void handle(Blob blob) {
			if (blob == null) {
				this.handled.add("null");
				return;
			}
			if (blob.name().startsWith("fails")) {
				throw new NonRetryableJobException("refused " + blob.name());
			}
			this.handled.add(blob.name());
		}

	}

	private static String queue() {
		return "input-" + UUID.randomUUID();
	}

	@Test
	void aPayloadAboveTheMaximumIsRefusedAtEnqueueAndANullPayloadIsCarried() {
		String queue = queue();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.max-payload-size=1KB")
			.withBean(Blobs.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				assertThatIllegalArgumentException()
					.isThrownBy(() -> jobs.enqueue(queue, new Blob("big", "x".repeat(2000))))
					.withMessageContaining("redis.starter.queue.max-payload-size");
				assertThat(jobs.counts(queue).waiting()).isZero();
				jobs.enqueue(queue, null);
				Blobs handler = context.getBean(Blobs.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> handler.handled.snapshot().contains("null"));
			});
	}

	@Test
	void aPayloadOrAJobIdOverItsBoundIsRefusedAsInputTooLargeWithoutEchoingIt() {
		// The job id and deduplication key often come from a request (an idempotency key): over a bound they are an
		// InputLimitExceededException (413 in MVC, like the session and leaderboard bounds), not a 500 whose message
		// (logged) carries the whole id.
		String queue = queue();
		String id = "idem-" + "k".repeat(10 * 1024 * 1024);
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.max-payload-size=1KB")
			.withBean(Blobs.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				assertThatExceptionOfType(InputLimitExceededException.class)
					.isThrownBy(() -> jobs.enqueue(queue, new Blob("big", "x".repeat(2000))))
					.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("redis.starter.queue.max-payload-size"))
					.satisfies((ex) -> assertThat(ex.getLimit()).isEqualTo(1024));
				assertThatExceptionOfType(InputLimitExceededException.class)
					.isThrownBy(() -> jobs.enqueue(queue, new Blob("a", "x"), JobOptions.defaults().withJobId(id)))
					.satisfies((ex) -> assertThat(ex.getSize()).isEqualTo(id.length()))
					.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(200));
				assertThatExceptionOfType(InputLimitExceededException.class)
					.isThrownBy(() -> jobs.enqueue(queue, new Blob("a", "x"),
							JobOptions.defaults().withDeduplication(id, Duration.ofMinutes(1))))
					.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(200));
				String braces = "user-{" + "z".repeat(200) + "}";
				assertThatIllegalArgumentException()
					.isThrownBy(() -> jobs.enqueue(queue, new Blob("a", "x"), JobOptions.defaults().withJobId(braces)))
					.withMessageNotContaining(braces)
					.withMessageContaining("(" + braces.length() + " chars)");
				assertThat(jobs.counts(queue).waiting()).isZero();
			});
	}

	@Test
	void aBacklogOfLargeJobsIsTakenInRepliesOfBoundedSizeAndAllComplete() {
		String queue = queue();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.max-payload-size=512KB")
			.withBean(Blobs.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String data = "y".repeat(300_000);
				// 40 jobs of 300 KB: 12 MB waiting, far more than one take may return within its deadline.
				jobs.enqueueAll(queue, IntStream.range(0, 40).mapToObj((i) -> new Blob("large-" + i, data)).toList(),
						JobOptions.defaults());
				Blobs handler = context.getBean(Blobs.class);
				await().atMost(Duration.ofSeconds(20)).until(() -> handler.handled.size() == 40);
				assertThat(jobs.counts(queue).completed()).isEqualTo(40);
			});
	}

	@Test
	void anOutcomeRedisRefusesIsDroppedAndTheOutcomesBehindItStillLand() {
		String queue = queue();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "spring.application.name=input")
			.withBean(Blobs.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				// The dead letters' key holds a string: moving a job there fails inside the script, every time.
				context.getBean(StringRedisTemplate.class).opsForValue().set("input:queue:{" + queue + "}:dead", "not a set");
				jobs.enqueue(queue, new Blob("fails-once", "x"));
				List<String> ids = jobs.enqueueAll(queue,
						IntStream.range(0, 20).mapToObj((i) -> new Blob("fine-" + i, "x")).toList(), JobOptions.defaults());
				Blobs handler = context.getBean(Blobs.class);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> ids.stream()
						.allMatch((id) -> jobs.job(queue, id).map(JobInfo::state).orElse(null) == JobState.COMPLETED));
				assertThat(handler.handled.snapshot()).hasSize(20);
			});
	}

	/** Corrupts its own record while it runs (a string where the hash was): its completion is refused by Redis. */
	static class Corrupting {

		final QueueContexts.Received<String> handled = new QueueContexts.Received<>();

		final java.util.concurrent.atomic.AtomicReference<StringRedisTemplate> redis = new java.util.concurrent.atomic.AtomicReference<>();

		@JobHandler(queue = "${test.queue}", concurrency = 4)
		void handle(Blob blob, JobContext job) {
			if (blob.name().equals("corrupt")) {
				String key = "input:queue:{" + job.queue() + "}:job:" + job.id();
				this.redis.get().delete(key);
				this.redis.get().opsForValue().set(key, "not a hash");
			}
			this.handled.add(blob.name());
		}

	}

	@Test
	void oneRefusedCompletionInABatchDropsOnlyThatOne() {
		String queue = queue();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "spring.application.name=input")
			.withBean(Corrupting.class)
			.run((context) -> {
				Corrupting handler = context.getBean(Corrupting.class);
				handler.redis.set(context.getBean(StringRedisTemplate.class));
				JobQueue jobs = context.getBean(JobQueue.class);
				List<String> names = new java.util.ArrayList<>();
				IntStream.range(0, 40).forEach((i) -> names.add((i == 20) ? "corrupt" : "fine-" + i));
				List<String> ids = jobs.enqueueAll(queue, names.stream().map((name) -> new Blob(name, "x")).toList(),
						JobOptions.defaults());
				await().atMost(Duration.ofSeconds(10))
					.until(() -> java.util.stream.IntStream.range(0, 40)
						.filter((i) -> i != 20)
						.allMatch((i) -> jobs.job(queue, ids.get(i)).map(JobInfo::state).orElse(null) == JobState.COMPLETED));
				assertThat(handler.handled.snapshot()).as("each job ran once").doesNotHaveDuplicates().hasSize(40);
			});
	}

	@Test
	void enqueueAllOfMoreJobsThanOneScriptTakesKeepsTheirOrderAndIds() {
		String queue = queue();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				List<String> ids = jobs.enqueueAll(queue,
						IntStream.range(0, 2500).mapToObj((i) -> new Blob("b-" + i, "x")).toList(), JobOptions.defaults());
				assertThat(ids).hasSize(2500).doesNotHaveDuplicates();
				List<Long> numbers = ids.stream().map(Long::parseLong).toList();
				List<Long> sorted = new java.util.ArrayList<>(numbers);
				Collections.sort(sorted);
				assertThat(numbers).isEqualTo(sorted);
				assertThat(jobs.counts(queue).waiting()).isEqualTo(2500);
			});
	}

}
