package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention is bounded: after many more completions and dead letters than the queue keeps, Redis holds no more
 * finished job records than {@code completed.max-count} and {@code dead.max-count}, and every finished record it
 * keeps expires on its own.
 */
@RealRedis
class JobQueueRetentionTests {

	private static final int COMPLETED_KEPT = 50;

	private static final int DEAD_KEPT = 20;

	record Work(int number, boolean fails) {
	}

	static class Handler {

		final QueueContexts.Received<Integer> ran = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}", concurrency = 8)
		void handle(Work work) {
			this.ran.add(work.number());
			if (work.fails()) {
				throw new IllegalStateException("job " + work.number() + " fails");
			}
		}

	}

	@Test
	void finishedJobsBeyondTheBoundsAreDeletedAndTheRestExpire() {
		String queue = "retention-" + UUID.randomUUID();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue,
					"redis.starter.queue.named." + queue + ".completed.max-count=" + COMPLETED_KEPT,
					"redis.starter.queue.named." + queue + ".dead.max-count=" + DEAD_KEPT,
					// 60 jobs failing in a row would open the handler's circuit (nothing is dead-lettered while it is).
					"redis.starter.queue.named." + queue + ".circuit.failure-threshold=0")
			.withBean(Handler.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				Handler handler = context.getBean(Handler.class);
				for (int from = 0; from < 300; from += 100) {
					jobs.enqueueAll(queue, IntStream.range(from, from + 100).mapToObj((n) -> new Work(n, false)).toList(),
							JobOptions.defaults());
				}
				jobs.enqueueAll(queue, IntStream.range(300, 360).mapToObj((n) -> new Work(n, true)).toList(),
						JobOptions.defaults().withAttempts(1));
				// Unfinished jobs are kept whatever the bounds: a delayed one stays, without a TTL.
				String delayed = jobs.enqueue(queue, new Work(1000, false), JobOptions.defaults().withDelay(Duration.ofHours(1)));

				await().atMost(Duration.ofSeconds(20)).until(() -> handler.ran.size() == 360);
				await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
					QueueCounts counts = jobs.counts(queue);
					assertThat(counts.active()).isZero();
					assertThat(counts.waiting()).isZero();
				});

				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				String base = context.getBean(QueueKeys.class).base(queue);
				Map<String, List<String>> byState = new HashMap<>();
				List<String> finishedWithoutTtl = new ArrayList<>();
				for (String key : scan(redis, base + ":job:*")) {
					String state = (String) redis.opsForHash().get(key, "state");
					byState.computeIfAbsent(String.valueOf(state), (name) -> new ArrayList<>()).add(key);
					Long ttl = redis.getExpire(key, TimeUnit.MILLISECONDS);
					boolean unfinished = "waiting".equals(state) || "delayed".equals(state) || "active".equals(state);
					if (!unfinished && (ttl == null || ttl <= 0)) {
						finishedWithoutTtl.add(key + " (" + state + ", pttl " + ttl + ")");
					}
				}
				assertThat(byState.getOrDefault("completed", List.of())).as("completed records kept")
					.hasSizeBetween(1, COMPLETED_KEPT);
				assertThat(byState.getOrDefault("dead", List.of())).as("dead letters kept").hasSizeBetween(1, DEAD_KEPT);
				assertThat(byState.get("delayed")).as("the delayed job is kept").containsExactly(base + ":job:" + delayed);
				assertThat(byState.keySet()).as("no other records").containsOnly("completed", "dead", "delayed");
				assertThat(finishedWithoutTtl).as("finished records that would never expire").isEmpty();
				assertThat(redis.opsForZSet().zCard(base + ":completed")).as(":completed").isEqualTo(COMPLETED_KEPT);
				assertThat(redis.opsForZSet().zCard(base + ":dead")).as(":dead").isEqualTo(DEAD_KEPT);
				assertThat(redis.getExpire(base + ":completed", TimeUnit.MILLISECONDS)).isPositive();
				assertThat(redis.getExpire(base + ":dead", TimeUnit.MILLISECONDS)).isPositive();
				List<String> withoutTtl = scan(redis, base + "*").stream()
					.filter((key) -> !key.startsWith(base + ":job:"))
					.filter((key) -> redis.getExpire(key, TimeUnit.MILLISECONDS) == -1)
					.toList();
				// The id sequence, the index of the delayed job kept on purpose, and perhaps a pending wake-up.
				assertThat(withoutTtl).as("the queue's other keys without a TTL")
					.isSubsetOf(base + ":id", base + ":delayed", base + ":signal");
				QueueCounts counts = jobs.counts(queue);
				assertThat(counts.completed()).isEqualTo(COMPLETED_KEPT);
				assertThat(counts.dead()).isEqualTo(DEAD_KEPT);
				assertThat(counts.delayed()).isEqualTo(1);
				assertThat(context.getBean(JobDeadLetters.class).list(queue, 0, 100)).hasSize(DEAD_KEPT);
			});
	}

	private static List<String> scan(StringRedisTemplate redis, String pattern) {
		List<String> keys = new ArrayList<>();
		try (Cursor<String> cursor = redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			cursor.forEachRemaining(keys::add);
		}
		return keys;
	}

}
