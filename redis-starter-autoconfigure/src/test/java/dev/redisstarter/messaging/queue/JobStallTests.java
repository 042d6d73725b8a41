package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.redisstarter.messaging.queue.actuate.JobQueuesEndpoint;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisServer;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Only a job whose handler started counts a stall (issue 21, defect 7: jobs a killed worker had only taken ahead were
 * charged a stall each time, and dead-lettered as stalled by a second crash though they never ran). A worker is
 * "killed" by cutting it off from Redis (a black hole: its renewals, outcomes and releases never arrive), twice in a
 * row, with {@code max-stalled} 1.
 */
@RealRedis
class JobStallTests {

	record Task(String name) {
	}

	/** Counts starts by task name; in a crashing instance the task named "runs" blocks until the test ends. */
	static class Handler {

		private final Map<String, AtomicInteger> starts;

		private final @Nullable CountDownLatch end;

		Handler(Map<String, AtomicInteger> starts, @Nullable CountDownLatch end) {
			this.starts = starts;
			this.end = end;
		}

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void handle(Task task) throws InterruptedException {
			this.starts.computeIfAbsent(task.name(), (name) -> new AtomicInteger()).incrementAndGet();
			if (this.end != null && task.name().equals("runs")) {
				this.end.await(20, TimeUnit.SECONDS);
			}
		}

	}

	@Test
	void jobsTakenAheadByKilledWorkersAreNeverStalledWhileAJobThatRanAndStalledTwiceIsDeadLetteredShowingItRan() {
		String queue = "stall-" + UUID.randomUUID();
		Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
		CountDownLatch end = new CountDownLatch(1);
		RedisServer redis = SharedRedis.standalone();
		try (FaultProxy first = FaultProxy.inFrontOf(redis); FaultProxy second = FaultProxy.inFrontOf(redis)) {
			crashing(queue, first, starts, end).run((a) -> {
				JobQueue jobsOfA = a.getBean(JobQueue.class);
				// One take: "runs" starts on the only handler slot, "ahead" waits behind it.
				List<String> ids = jobsOfA.enqueueAll(queue, List.of(new Task("runs"), new Task("ahead")),
						JobOptions.defaults());
				String runs = ids.get(0);
				String ahead = ids.get(1);
				await().atMost(Duration.ofSeconds(5)).until(() -> started(starts, "runs") == 1
						&& state(jobsOfA, queue, ahead) == JobState.ACTIVE && info(jobsOfA, queue, runs).runs() == 1);
				first.set(Fault.BLACK_HOLE);

				crashing(queue, second, starts, end).run((b) -> {
					JobQueue jobsOfB = b.getBean(JobQueue.class);
					// b's stalled check returns both once a's lease expired; b takes them and the same happens.
					await().atMost(Duration.ofSeconds(8)).until(() -> started(starts, "runs") == 2
							&& state(jobsOfB, queue, ahead) == JobState.ACTIVE && info(jobsOfB, queue, runs).runs() == 2);
					assertThat(info(jobsOfB, queue, ahead).stalled()).as("stalls of the job taken ahead").isZero();
					assertThat(info(jobsOfB, queue, runs).stalled()).as("stalls of the job that ran").isEqualTo(1);
					second.set(Fault.BLACK_HOLE);

					healthy(queue, starts).run((c) -> {
						JobQueue jobs = c.getBean(JobQueue.class);
						await().atMost(Duration.ofSeconds(8)).until(() -> state(jobs, queue, ahead) == JobState.COMPLETED
								&& state(jobs, queue, runs) == JobState.DEAD);
						JobInfo taken = info(jobs, queue, ahead);
						assertThat(taken.stalled()).as("stalls of the job taken ahead twice").isZero();
						assertThat(started(starts, "ahead")).isEqualTo(1);
						JobInfo dead = info(jobs, queue, runs);
						assertThat(dead.errorType()).isEqualTo(JobStalledException.class.getName());
						assertThat(dead.stalled()).isEqualTo(2);
						assertThat(dead.runs()).as("a stalled dead letter shows that it ran").isEqualTo(2);
						assertThat(dead.errorMessage()).contains("started 2 times");
						List<JobQueuesEndpoint.DeadLetter> listed = c.getBean(JobQueuesEndpoint.class)
							.queue(queue)
							.deadLetters();
						assertThat(listed).singleElement().satisfies((letter) -> {
							assertThat(letter.runs()).isEqualTo(2);
							assertThat(letter.stalled()).isEqualTo(2);
						});
					});
				});
			});
		}
		finally {
			end.countDown();
		}
	}

	/** Notes, as each handling starts, the job's start marks already in Redis (read on the test's own connection). */
	static class MarkReadingHandler {

		final List<String> runsAtStart = new CopyOnWriteArrayList<>();

		private final StringRedisTemplate direct;

		private final String base;

		MarkReadingHandler(StringRedisTemplate direct, String base) {
			this.direct = direct;
			this.base = base;
		}

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void handle(Task task, JobContext job) {
			this.runsAtStart.add(String.valueOf(this.direct.opsForHash().get(this.base + ":job:" + job.id(), "runs")));
		}

	}

	@Test
	@SuppressWarnings({ "rawtypes", "unchecked" })
	void aJobWhoseLeaseExpiredBeforeItsStartMarkHasItsStartMarkedBeforeItsHandlerRunsNextTime() {
		String queue = "stall-" + UUID.randomUUID();
		RedisServer redis = SharedRedis.standalone();
		QueueContexts.runner(redis).withPropertyValues("test.queue=" + queue).run((direct) -> {
			JobQueue jobs = direct.getBean(JobQueue.class);
			StringRedisTemplate template = direct.getBean(StringRedisTemplate.class);
			String base = direct.getBean(QueueKeys.class).base(queue);
			List<String> keys = List.of(base, base + ":ready", base + ":delayed", base + ":active", base + ":completed",
					base + ":dead", base + ":signal", base + ":id", base + ":paused");
			String id = jobs.enqueue(queue, new Task("kills its worker"), JobOptions.defaults());
			// A worker takes it (a lease of 1 ms) and its handler kills the JVM before the start mark is written: the
			// scripts in the order the worker runs them, without start.lua.
			List taken = template.execute(script("take.lua"), keys, "1", "1", "killed:1", "1048576", "0", "1000");
			assertThat(taken).hasSize(4);
			Thread.sleep(20);
			List stalled = template.execute(script("stalled.lua"), keys, "1", "1000", "60000", "1000", "86400000");
			assertThat(stalled.get(2)).as("went back to waiting unstarted").isEqualTo(1L);
			assertThat(template.opsForHash().get(base + ":job:" + id, "reclaimed")).isEqualTo("1");

			// A job ahead of it, so that the next worker's outcome thread is waiting for Redis's reply to that job's
			// start mark (200 ms of latency) when this one starts: before the fix its handler then ran with no mark in
			// Redis, so a second kill was again not counted (and so on, for ever).
			jobs.enqueue(queue, new Task("ahead"), JobOptions.defaults().withPriority(1));
			try (FaultProxy slow = FaultProxy.inFrontOf(redis)) {
				slow.setLatency(Duration.ofMillis(200)).set(Fault.LATENCY);
				MarkReadingHandler handler = new MarkReadingHandler(template, base);
				QueueContexts.runner(redis)
					.withPropertyValues("test.queue=" + queue, "spring.data.redis.url=" + slow.url(),
							"redis.starter.timeout=5s")
					.withBean(MarkReadingHandler.class, () -> handler)
					.run((worker) -> {
						await().atMost(Duration.ofSeconds(10)).until(() -> handler.runsAtStart.size() == 2);
						assertThat(handler.runsAtStart.get(1)).as("its start mark, as its handler starts").isEqualTo("1");
					});
			}
		});
	}

	private static RedisScript<List> script(String name) {
		return RedisScript.of(new ClassPathResource("dev/redisstarter/queue/" + name), List.class);
	}

	private static ApplicationContextRunner crashing(String queue, FaultProxy proxy, Map<String, AtomicInteger> starts,
			CountDownLatch end) {
		return QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "spring.data.redis.url=" + proxy.url(),
					"redis.starter.queue.shutdown-wait=300ms", "redis.starter.queue.defaults.lease=1s")
			.withBean(Handler.class, () -> new Handler(starts, end));
	}

	private static ApplicationContextRunner healthy(String queue, Map<String, AtomicInteger> starts) {
		return QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.defaults.lease=1s",
					"management.endpoints.web.exposure.include=jobqueues")
			.withBean(Handler.class, () -> new Handler(starts, null));
	}

	private static int started(Map<String, AtomicInteger> starts, String name) {
		AtomicInteger count = starts.get(name);
		return (count != null) ? count.get() : 0;
	}

	private static JobInfo info(JobQueue jobs, String queue, String id) {
		return jobs.job(queue, id).orElseThrow();
	}

	private static JobState state(JobQueue jobs, String queue, String id) {
		return jobs.job(queue, id).map(JobInfo::state).orElse(null);
	}

}
