package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A queue's rate limit is global: three instances together start no more jobs per window than the limit, in
 * fixed windows of the Redis server's clock, and they keep close to it while jobs wait. A job's start is the
 * server's time when a worker took it (the {@code started} field of its record), on the same clock as the
 * limit's windows.
 */
@RealRedis
class JobQueueRateLimitTests {

	private static final int LIMIT = 50;

	private static final int JOBS = 300;

	record Tick(int number) {
	}

	static class Worker {

		private final Map<String, String> ranOn;

		private final String instance;

		Worker(Map<String, String> ranOn, String instance) {
			this.ranOn = ranOn;
			this.instance = instance;
		}

		@JobHandler(queue = "${test.queue}", concurrency = 8)
		void handle(Tick tick, JobContext context) {
			this.ranOn.put(context.id(), this.instance);
		}

	}

	@Test
	void threeInstancesTogetherStartNoMoreJobsPerWindowThanTheLimitAndKeepCloseToIt() {
		String queue = "limited-" + UUID.randomUUID();
		Map<String, String> ranOn = new ConcurrentHashMap<>();
		instance(queue, ranOn, "a").run((a) -> instance(queue, ranOn, "b").run((b) -> instance(queue, ranOn, "c")
			.run((c) -> {
				JobQueue jobs = a.getBean(JobQueue.class);
				StringRedisTemplate redis = a.getBean(StringRedisTemplate.class);
				// Enqueued early in a window, so that the first grants are not a few microseconds before its end
				// (a take lags its grant by a round trip).
				long serverNow = serverMillis(redis);
				Thread.sleep(1000 - serverNow % 1000 + 50);
				List<String> ids = jobs.enqueueAll(queue, IntStream.range(0, JOBS).mapToObj(Tick::new).toList(),
						JobOptions.defaults());
				await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(ranOn).as(() -> "ran, " + jobs.counts(queue)).hasSize(JOBS));

				String base = a.getBean(QueueKeys.class).base(queue);
				List<Long> startedAt = ids.stream()
					.map((id) -> Long.parseLong(Objects.requireNonNull((String) redis.opsForHash().get(base + ":job:" + id, "started"))))
					.toList();
				Map<Long, Long> perWindow = startedAt.stream()
					.collect(Collectors.groupingBy((at) -> Math.floorDiv(at, 1000), TreeMap::new, Collectors.counting()));
				assertThat(perWindow.values()).as("starts per 1 s window of the server's clock: " + perWindow)
					.allMatch((count) -> count <= LIMIT);
				assertThat(perWindow).as("at least %d windows for %d jobs", JOBS / LIMIT, JOBS)
					.hasSizeGreaterThanOrEqualTo(JOBS / LIMIT);
				long first = startedAt.stream().mapToLong(Long::longValue).min().getAsLong();
				long last = startedAt.stream().mapToLong(Long::longValue).max().getAsLong();
				assertThat(last - first).as("close to the limit: about %d s, not much more", JOBS / LIMIT - 1)
					.isBetween(1000L * (JOBS / LIMIT - 2), 1000L * (JOBS / LIMIT + 1));
				assertThat(ranOn.values().stream().distinct()).as("every instance took a share")
					.containsExactlyInAnyOrder("a", "b", "c");
				await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).active() == 0);
			})));
	}

	record Stamped(long enqueuedNanos) {
	}

	/** Records how long each job waited from its enqueue to its start (one JVM: nanoTime is comparable). */
	static class Timing {

		final QueueContexts.Received<Long> waitedMillis = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}", concurrency = 8)
		void handle(Stamped job) {
			this.waitedMillis.add((System.nanoTime() - job.enqueuedNanos()) / 1_000_000);
		}

	}

	@Test
	void aQueueFedWellBelowItsLimitStartsJobsPromptlyRatherThanWaitingForWindows() {
		String queue = "limited-" + UUID.randomUUID();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.named." + queue + ".rate-limit.limit=100",
					"redis.starter.queue.named." + queue + ".rate-limit.window=1s")
			.withBean(Timing.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				Timing handler = context.getBean(Timing.class);
				// 20 jobs a second, one at a time: 20 % of the limit, for 3 s.
				for (int i = 0; i < 60; i++) {
					jobs.enqueue(queue, new Stamped(System.nanoTime()));
					Thread.sleep(50);
				}
				await().atMost(Duration.ofSeconds(5)).until(() -> handler.waitedMillis.size() == 60);
				List<Long> waits = handler.waitedMillis.snapshot().stream().sorted().toList();
				System.out.println("Fed at 20 % of the limit, waits (ms): p50 " + waits.get(30) + ", p90 " + waits.get(54)
						+ ", max " + waits.get(59));
				// Each take used to spend a quarter of a window's starts whatever it found: most jobs then waited for
				// the next window (p50 256 ms). A generous bound, not this machine's timing.
				assertThat(waits).as("waits from enqueue to start, ms").allMatch((waited) -> waited <= 150);
			});
	}

	private static long serverMillis(StringRedisTemplate redis) {
		return Objects.requireNonNull(redis.execute((RedisCallback<Long>) (connection) -> connection.serverCommands().time()));
	}

	private static ApplicationContextRunner instance(String queue, Map<String, String> ranOn, String name) {
		return QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.named." + queue + ".rate-limit.limit=" + LIMIT,
					"redis.starter.queue.named." + queue + ".rate-limit.window=1s")
			.withBean(Worker.class, () -> new Worker(ranOn, name));
	}

}
