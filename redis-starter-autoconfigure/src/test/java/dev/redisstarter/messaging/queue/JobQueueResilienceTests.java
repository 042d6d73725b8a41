package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.RedisSentinelGroup;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Workers resume by themselves after Redis restarts, freezes or fails over, without losing a job; enqueues fail
 * fast while Redis is away; delays, retries and dead letters work on Cluster for queues on different nodes.
 */
class JobQueueResilienceTests {

	/** The queue's command timeout (its default), which an enqueue must not outlast by much while Redis is away. */
	private static final long QUEUE_TIMEOUT = 500;

	record Task(String name) {
	}

	/** Records every start and every return, by job name; jobs named "long-..." take 2 s. */
	static class Recording {

		final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> finished = new ConcurrentHashMap<>();

		@JobHandler(queue = "${test.queue}", concurrency = 4)
		void run(Task task) throws InterruptedException {
			this.started.computeIfAbsent(task.name(), (name) -> new AtomicInteger()).incrementAndGet();
			if (task.name().startsWith("long-")) {
				Thread.sleep(2000);
			}
			else if (task.name().startsWith("short-")) {
				Thread.sleep(100);
			}
			this.finished.computeIfAbsent(task.name(), (name) -> new AtomicInteger()).incrementAndGet();
		}

		int duplicates() {
			return this.started.values().stream().mapToInt((runs) -> runs.get() - 1).sum();
		}

	}

	@Test
	void workersResumeByThemselvesAfterRedisRestartsAndTheJobRunningThroughItIsNotLost() {
		String queue = queue();
		// Persistent, so that the restarted server still holds the job that was running: is it completed or lost?
		try (LocalRedisServer server = LocalRedisServer.builder()
			.config("appendonly", "yes")
			.config("appendfsync", "always")
			.build()
			.start()) {
			runner(server, queue).withBean(Recording.class).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				Recording handler = context.getBean(Recording.class);
				jobs.enqueue(queue, new Task("before"));
				await().atMost(Duration.ofSeconds(5)).until(() -> handler.finished.containsKey("before"));
				String running = jobs.enqueue(queue, new Task("long-running"));
				await().atMost(Duration.ofSeconds(5)).until(() -> handler.started.containsKey("long-running"));

				server.stop();
				server.start();
				List<String> after = new CopyOnWriteArrayList<>();
				assertThat(enqueueUntilOneRuns(jobs, handler, queue, after)).isLessThan(Duration.ofSeconds(10));

				await().atMost(Duration.ofSeconds(10))
					.until(() -> state(jobs, queue, running) == JobState.COMPLETED
							&& after.stream().allMatch((id) -> state(jobs, queue, id) == JobState.COMPLETED));
				System.out.println("Restart: the running job ran " + handler.started.get("long-running") + " time(s); "
						+ after.size() + " enqueued after the restart, all completed");
				assertThat(handler.finished.get("long-running")).hasPositiveValue();
				assertIdle(jobs.counts(queue));
			});
		}
	}

	@Test
	void aWorkerResumesWithinASecondOfRedisAnsweringAgainEvenAfterALongOutage() {
		String queue = queue();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server, queue).withBean(Recording.class).run((context) -> {
				JobWorkers workers = context.getBean(JobWorkers.class);
				RedisAccess access = context.getBean(RedisAccess.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> workerState(workers) == WorkerStatus.RUNNING);
				server.stop();
				await().atMost(Duration.ofSeconds(15)).until(() -> workerState(workers) == WorkerStatus.WAITING);
				// Long enough for the fetcher's back-off to reach its 5 s cap.
				Thread.sleep(8000);
				server.start();
				await().atMost(Duration.ofSeconds(10)).until(() -> access.circuit().allowsCalls());
				long closed = System.nanoTime();
				await().atMost(Duration.ofSeconds(10)).until(() -> workerState(workers) == WorkerStatus.RUNNING);
				assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThan(Duration.ofSeconds(1));
			});
		}
	}

	private static WorkerStatus workerState(JobWorkers workers) {
		return workers.states().get(0).state();
	}

	@Test
	void nothingIsLostWhenRedisFreezesWhileJobsRun() {
		String queue = queue();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server, queue).withBean(Recording.class).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				Recording handler = context.getBean(Recording.class);
				List<String> names = IntStream.range(0, 60).mapToObj((i) -> "short-" + i).toList();
				List<String> ids = jobs.enqueueAll(queue, names.stream().map(Task::new).toList(), JobOptions.defaults());
				await().atMost(Duration.ofSeconds(5)).until(() -> handler.finished.size() >= 8);

				long frozenAt = System.nanoTime();
				server.freeze();
				try {
					Thread.sleep(2000);
				}
				finally {
					server.thaw();
				}
				await().atMost(Duration.ofSeconds(12))
					.until(() -> handler.finished.keySet().containsAll(names)
							&& ids.stream().allMatch((id) -> state(jobs, queue, id) == JobState.COMPLETED));
				// Takes sent while Redis was frozen run at the thaw, after the worker gave up on their replies: those
				// jobs wait out their lease and come back as stalled (once each), though no handler ran them.
				long stalled = ids.stream().filter((id) -> jobs.job(queue, id).orElseThrow().stalled() > 0).count();
				System.out.println("Freeze: all " + names.size() + " jobs completed "
						+ Duration.ofNanos(System.nanoTime() - frozenAt).toMillis() + " ms after the freeze began; "
						+ stalled + " counted as stalled, " + handler.duplicates() + " run twice");
				assertIdle(jobs.counts(queue));
			});
		}
	}

	@Test
	void anEnqueueWhileRedisIsStoppedFailsFastAndSucceedsAgainAfterTheRestart() {
		String queue = queue();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server, queue).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				jobs.enqueue(queue, new Task("before"));
				server.stop();
				List<Long> took = enqueueFailures(jobs, queue, 6);
				System.out.println("Enqueues while Redis is stopped failed after (ms): " + took);
				assertThat(took).allSatisfy((millis) -> assertThat(millis).isLessThan(QUEUE_TIMEOUT + 200));
				server.start();
				await().atMost(Duration.ofSeconds(10)).ignoreException(JobQueueUnavailableException.class)
					.until(() -> jobs.enqueue(queue, new Task("after")) != null);
			});
		}
	}

	@Test
	void anEnqueueWhileRedisIsFrozenFailsWithinTheQueueTimeoutThenAtOnceWhileTheCircuitIsOpen() {
		String queue = queue();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server, queue).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				jobs.enqueue(queue, new Task("before"));
				server.freeze();
				List<Long> took;
				try {
					took = enqueueFailures(jobs, queue, 6);
				}
				finally {
					server.thaw();
				}
				System.out.println("Enqueues while Redis is frozen failed after (ms): " + took);
				assertThat(took).allSatisfy((millis) -> assertThat(millis).isLessThan(QUEUE_TIMEOUT + 200));
				// Three calls in a row without an answer open the circuit: the next ones are refused without waiting.
				assertThat(took.subList(3, took.size())).anySatisfy((millis) -> assertThat(millis).isLessThan(50));
				await().atMost(Duration.ofSeconds(10)).ignoreException(JobQueueUnavailableException.class)
					.until(() -> jobs.enqueue(queue, new Task("after")) != null);
			});
		}
	}

	@Test
	void workersResumeByThemselvesAfterASentinelFailover() {
		String queue = queue();
		try (RedisSentinelGroup group = RedisSentinelGroup.create().start()) {
			runner(group, queue).withBean(Recording.class).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				Recording handler = context.getBean(Recording.class);
				jobs.enqueue(queue, new Task("before"));
				await().atMost(Duration.ofSeconds(5)).until(() -> handler.finished.containsKey("before"));

				group.stopMaster();
				group.awaitFailover(Duration.ofSeconds(30));
				List<String> after = new CopyOnWriteArrayList<>();
				assertThat(enqueueUntilOneRuns(jobs, handler, queue, after)).isLessThan(Duration.ofSeconds(15));
				await().atMost(Duration.ofSeconds(5))
					.until(() -> after.stream().allMatch((id) -> state(jobs, queue, id) == JobState.COMPLETED));
				assertIdle(jobs.counts(queue));
			});
		}
	}

	/** Handles two queues: "flaky" jobs fail their first attempt, "doomed" ones every attempt. */
	static class TwoQueues {

		final Map<String, List<String>> runs = new ConcurrentHashMap<>();

		final Map<String, Long> startedAt = new ConcurrentHashMap<>();

		@JobHandler(queue = "${test.queue-a}", concurrency = 2)
		void a(Task task, JobContext context) {
			run(task, context);
		}

		@JobHandler(queue = "${test.queue-b}", concurrency = 2)
		void b(Task task, JobContext context) {
			run(task, context);
		}

		private void run(Task task, JobContext context) {
			String key = context.queue() + "/" + task.name();
			this.startedAt.putIfAbsent(key, System.currentTimeMillis());
			this.runs.computeIfAbsent(key, (name) -> new CopyOnWriteArrayList<>()).add("attempt " + context.attempt());
			if (task.name().equals("doomed") || (task.name().equals("flaky") && context.attempt() == 1)) {
				throw new IllegalStateException(task.name() + " failed attempt " + context.attempt());
			}
		}

	}

	@Test
	void delaysRetriesAndDeadLettersWorkOnClusterForQueuesOnDifferentNodes() {
		RedisCluster cluster = SharedRedis.cluster();
		String a = queue();
		String b = queue();
		while (cluster.masterForSlot(SlotHash.getSlot("{" + a + "}")) == cluster
			.masterForSlot(SlotHash.getSlot("{" + b + "}"))) {
			b = queue();
		}
		String queueA = a;
		String queueB = b;
		QueueContexts.runner(cluster)
			.withPropertyValues("test.queue-a=" + queueA, "test.queue-b=" + queueB)
			.withBean(TwoQueues.class)
			.run((context) -> {
				QueueKeys keys = context.getBean(QueueKeys.class);
				assertThat(cluster.masterForSlot(SlotHash.getSlot(keys.base(queueA))))
					.isNotEqualTo(cluster.masterForSlot(SlotHash.getSlot(keys.base(queueB))));
				JobQueue jobs = context.getBean(JobQueue.class);
				JobDeadLetters dead = context.getBean(JobDeadLetters.class);
				TwoQueues handler = context.getBean(TwoQueues.class);
				for (String queue : List.of(queueA, queueB)) {
					String delayed = jobs.enqueue(queue, new Task("delayed"),
							JobOptions.defaults().withDelay(Duration.ofMillis(1000)));
					long dueBy = System.currentTimeMillis() + 1000;
					String flaky = jobs.enqueue(queue, new Task("flaky"), JobOptions.defaults().withAttempts(3));
					String doomed = jobs.enqueue(queue, new Task("doomed"), JobOptions.defaults().withAttempts(2));
					List<String> bulk = jobs.enqueueAll(queue,
							IntStream.range(0, 20).mapToObj((i) -> new Task("bulk-" + i)).toList(), JobOptions.defaults());

					await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).dead() == 1
							&& state(jobs, queue, delayed) == JobState.COMPLETED
							&& state(jobs, queue, flaky) == JobState.COMPLETED
							&& bulk.stream().allMatch((id) -> state(jobs, queue, id) == JobState.COMPLETED));
					JobInfo delayedJob = jobs.job(queue, delayed).orElseThrow();
					long due = delayedJob.createdAt().toEpochMilli() + 1000;
					assertThat(handler.startedAt.get(queue + "/delayed")).isBetween(due - 20, dueBy + 300);
					assertThat(jobs.job(queue, flaky).orElseThrow().attempts()).isEqualTo(2);
					assertThat(handler.runs.get(queue + "/doomed")).containsExactly("attempt 1", "attempt 2");
					assertThat(dead.list(queue, 0, 10)).singleElement().satisfies((job) -> {
						assertThat(job.id()).isEqualTo(doomed);
						assertThat(job.history()).extracting(JobError::attempt).containsExactly(1, 2);
						assertThat(job.errorMessage()).isEqualTo("doomed failed attempt 2");
					});
					assertThat(dead.replay(queue, doomed)).isTrue();
					await().atMost(Duration.ofSeconds(5)).until(() -> handler.runs.get(queue + "/doomed").size() == 4
							&& state(jobs, queue, doomed) == JobState.DEAD);
				}
				for (String queue : List.of(queueA, queueB)) {
					assertThat(jobs.counts(queue)).isEqualTo(new QueueCounts(queue, 0, 0, 0, 22, 1, 0, 0));
				}
			});
	}

	/** Enqueues a job every 200 ms until one enqueued here has run; returns how long that took. */
	private static Duration enqueueUntilOneRuns(JobQueue jobs, Recording handler, String queue, List<String> ids) {
		long start = System.nanoTime();
		AtomicInteger attempt = new AtomicInteger();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			try {
				ids.add(jobs.enqueue(queue, new Task("after-" + attempt.incrementAndGet())));
			}
			catch (JobQueueUnavailableException ex) {
				// Redis is not back yet.
			}
			return handler.finished.keySet().stream().anyMatch((name) -> name.startsWith("after-"));
		});
		return Duration.ofNanos(System.nanoTime() - start);
	}

	/** Enqueues {@code count} times, each expected to fail; returns how long each took, in ms. */
	private static List<Long> enqueueFailures(JobQueue jobs, String queue, int count) {
		List<Long> took = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			long start = System.nanoTime();
			assertThatExceptionOfType(JobQueueUnavailableException.class)
				.isThrownBy(() -> jobs.enqueue(queue, new Task("while-away")));
			took.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
		}
		return took;
	}

	private static JobState state(JobQueue jobs, String queue, String id) {
		return jobs.job(queue, id).map(JobInfo::state).orElse(null);
	}

	private static void assertIdle(QueueCounts counts) {
		assertThat(counts.waiting() + counts.delayed() + counts.active() + counts.dead()).as("%s", counts).isZero();
	}

	private static String queue() {
		return "resilience-" + UUID.randomUUID();
	}

	private static ApplicationContextRunner runner(RedisDeployment redis, String queue) {
		return QueueContexts.runner(redis)
			.withPropertyValues("test.queue=" + queue, "redis.starter.resilience.liveness-timeout=500ms",
					"redis.starter.resilience.open-duration=300ms", "redis.starter.queue.defaults.lease=3s");
	}

}
