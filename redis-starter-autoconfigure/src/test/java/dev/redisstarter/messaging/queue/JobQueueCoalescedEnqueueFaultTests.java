package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.core.RedisPermissionException;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisDeployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults around single enqueues that travel together ({@code EnqueueCoalescer}), against a real Redis: a caller past
 * its deadline never sends its job, a long outage bounds every call and stores every success once, a restarted
 * (empty) Redis and a permission refusal fail callers without wedging the queue, and handlers enqueue through it.
 */
class JobQueueCoalescedEnqueueFaultTests {

	/** The queue timeout (its default). */
	private static final long TIMEOUT = 500;

	record Task(int producer, int number) {
	}

	private static String queue() {
		return "coalesced-fault-" + UUID.randomUUID();
	}

	private static ApplicationContextRunner runner(RedisDeployment redis) {
		return QueueContexts.runner(redis)
			.withPropertyValues("redis.starter.resilience.open-duration=300ms",
					"redis.starter.queue.timeout=" + TIMEOUT + "ms");
	}

	/**
	 * The turn to send passes to a waiting caller whose thread only runs again after its deadline (a stalled thread:
	 * here suspended): it must give up, not send its job and then report that it failed. Thread.suspend works up to
	 * JDK 19; this build runs on 17.
	 */
	@Test
	@SuppressWarnings({ "deprecation", "removal" })
	void aCallerThatGetsTheTurnOnlyAfterItsDeadlineNeverSendsItsJob() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).withPropertyValues("redis.starter.resilience.failure-threshold=100").run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String queue = queue();
				jobs.enqueue(queue, new Task(-1, 0));
				server.freeze();
				FutureTask<String> first = new FutureTask<>(() -> outcome(jobs, queue, new Task(1, 1)));
				FutureTask<String> late = new FutureTask<>(() -> outcome(jobs, queue, new Task(2, 2)));
				try {
					new Thread(first, "first-caller").start();
					Thread.sleep(100);
					Thread stalled = new Thread(late, "stalled-caller");
					stalled.start();
					// It waits behind the first call (in flight to the frozen server).
					Thread.sleep(100);
					stalled.suspend();
					try {
						// The first call fails at its deadline and the turn passes to the stalled caller, whose own
						// deadline then passes too.
						Thread.sleep(3 * TIMEOUT);
					}
					finally {
						stalled.resume();
					}
					assertThat(first.get(10, TimeUnit.SECONDS)).startsWith("failed");
					assertThat(late.get(10, TimeUnit.SECONDS)).startsWith("failed");
				}
				finally {
					server.thaw();
				}
				// Whatever was sent runs now: the first caller's job was (it is uncertain), the stalled one's not.
				await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> payloads(server, queue).size() >= 2);
				Thread.sleep(TIMEOUT);
				assertThat(payloads(server, queue)).as("jobs stored")
					.anyMatch((payload) -> payload.contains("\"number\":1"))
					.noneMatch((payload) -> payload.contains("\"number\":2"));
				assertThat(jobs.enqueue(queue, new Task(-1, 3))).as("the queue still works").isNotNull();
			});
		}
	}

	/**
	 * Redis frozen for three deadlines while 24 producers keep enqueueing: every call ends within the deadline and a
	 * margin, every enqueue reported done is stored, none twice, and the queue works at once when Redis is back.
	 */
	@Test
	void anOutageLongerThanTheDeadlineBoundsEveryCallAndStoresEverySuccessOnce() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String queue = queue();
				jobs.enqueue(queue, new Task(-1, 0));
				Map<String, Task> succeeded = new ConcurrentHashMap<>();
				List<Long> millis = new CopyOnWriteArrayList<>();
				AtomicInteger failed = new AtomicInteger();
				long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3000);
				ExecutorService producers = Executors.newFixedThreadPool(24);
				try {
					for (int p = 0; p < 24; p++) {
						int producer = p;
						producers.submit(() -> {
							for (int i = 0; System.nanoTime() < end; i++) {
								Task task = new Task(producer, i);
								long start = System.nanoTime();
								try {
									succeeded.put(jobs.enqueue(queue, task), task);
								}
								catch (JobQueueUnavailableException ex) {
									failed.incrementAndGet();
								}
								millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
							}
						});
					}
					Thread.sleep(300);
					server.freeze();
					try {
						Thread.sleep(3 * TIMEOUT);
					}
					finally {
						server.thaw();
					}
					producers.shutdown();
					assertThat(producers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
				}
				finally {
					producers.shutdownNow();
				}
				assertThat(failed).hasPositiveValue();
				assertThat(millis).allSatisfy((took) -> assertThat(took).isLessThan(TIMEOUT + 1000));
				AtomicInteger probe = new AtomicInteger();
				await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
					.until(() -> jobs.enqueue(queue, new Task(-1, probe.incrementAndGet())) != null);
				Thread.sleep(TIMEOUT);
				List<String> payloads = payloads(server, queue);
				assertThat(payloads).doesNotHaveDuplicates();
				for (Map.Entry<String, Task> success : succeeded.entrySet()) {
					assertThat(jobs.job(queue, success.getKey())).as("job %s reported stored", success.getValue())
						.get()
						.satisfies((job) -> assertThat(job.payload()).contains(
								"\"producer\":" + success.getValue().producer() + ",\"number\":"
										+ success.getValue().number() + "}"));
				}
			});
		}
	}

	/**
	 * Redis restarted empty (no scripts, no data) between batches, and its script cache flushed: overlapping callers
	 * fail (while it is away) or succeed, never wait past the deadline, and the batches after it load the script.
	 */
	@Test
	void redisRestartedEmptyBetweenBatchesLeavesTheQueueWorking() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String queue = queue();
				jobs.enqueue(queue, new Task(-1, 0));
				server.stop();
				server.start();
				AtomicInteger probe = new AtomicInteger();
				await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
					.until(() -> jobs.enqueue(queue, new Task(-1, probe.incrementAndGet())) != null);
				server.command("SCRIPT", "FLUSH");
				List<String> ids = atOnce((producer) -> jobs.enqueue(queue, new Task(producer, 2)));
				assertThat(Set.copyOf(ids)).hasSize(16);
				server.command("SCRIPT", "FLUSH");
				List<String> more = atOnce((producer) -> jobs.enqueue(queue, new Task(producer, 3)));
				assertThat(Set.copyOf(more)).hasSize(16);
				assertThat(payloads(server, queue)).doesNotHaveDuplicates()
					.filteredOn((payload) -> !payload.contains("\"producer\":-1"))
					.hasSize(32);
			});
		}
	}

	/**
	 * The user may not run EVALSHA: every caller of a batch gets the refusal (not a timeout), at once, and the
	 * queue works once the user is granted it.
	 */
	@Test
	void aRefusedScriptFailsEveryCallerAtOnceAndTheQueueWorksWhenGranted() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder()
			.password("admin")
			.user("app on >app-secret ~* &* +@all -evalsha")
			.build()
			.start()) {
			runner(server.as("app", "app-secret")).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String queue = queue();
				List<String> outcomes = atOnce((producer) -> {
					long start = System.nanoTime();
					try {
						return jobs.enqueue(queue, new Task(producer, 0));
					}
					catch (RedisPermissionException ex) {
						return "refused in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
					}
				});
				assertThat(outcomes).hasSize(16).allSatisfy((outcome) -> {
					assertThat(outcome).startsWith("refused in ");
					assertThat(Long.parseLong(outcome.substring("refused in ".length()))).isLessThan(TIMEOUT);
				});
				server.command("ACL", "SETUSER", "app", "+evalsha");
				List<String> ids = atOnce((producer) -> jobs.enqueue(queue, new Task(producer, 1)));
				assertThat(Set.copyOf(ids)).hasSize(16);
			});
		}
	}

	/** Each job of its queue is followed by five jobs of another, enqueued from the handler's threads. */
	static class FollowUps {

		@Autowired
		JobQueue jobs;

		@Value("${test.follow}")
		String follow;

		final AtomicInteger failures = new AtomicInteger();

		@JobHandler(queue = "${test.queue}", concurrency = 8)
		void run(Task task) {
			for (int i = 0; i < 5; i++) {
				try {
					this.jobs.enqueue(this.follow, new Task(task.number(), i));
				}
				catch (RuntimeException ex) {
					this.failures.incrementAndGet();
					throw ex;
				}
			}
		}

	}

	@Test
	void handlersEnqueueThroughItFromTheirOwnThreads() throws Exception {
		String queue = queue();
		String follow = queue();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).withPropertyValues("test.queue=" + queue, "test.follow=" + follow)
				.withBean(FollowUps.class)
				.run((context) -> {
					JobQueue jobs = context.getBean(JobQueue.class);
					FollowUps handler = context.getBean(FollowUps.class);
					List<Task> parents = new ArrayList<>();
					for (int i = 0; i < 60; i++) {
						parents.add(new Task(-1, i));
					}
					jobs.enqueueAll(queue, parents, JobOptions.defaults());
					await().atMost(Duration.ofSeconds(30)).until(() -> jobs.counts(follow).waiting() >= 300);
					await().atMost(Duration.ofSeconds(10)).until(() -> jobs.counts(queue).completed() == 60);
					assertThat(handler.failures).hasValue(0);
					assertThat(payloads(server, follow)).hasSize(300).doesNotHaveDuplicates();
				});
		}
	}

	private static String outcome(JobQueue jobs, String queue, Task task) {
		long start = System.nanoTime();
		try {
			return "stored " + jobs.enqueue(queue, task);
		}
		catch (JobQueueUnavailableException ex) {
			return "failed after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + ex;
		}
	}

	/** Every waiting job's payload, read in one script (a listing stops at 1,000). */
	private static List<String> payloads(LocalRedisServer server, String queue) {
		Object ready = server.command("KEYS", "*{" + queue + "}:ready");
		if (!(ready instanceof List<?> found) || found.isEmpty()) {
			return List.of();
		}
		String readyKey = String.valueOf(found.get(0));
		String base = readyKey.substring(0, readyKey.length() - ":ready".length());
		Object all = server.command("EVAL", "local ids = redis.call('ZRANGE', KEYS[1] .. ':ready', 0, -1) "
				+ "local out = {} for i, id in ipairs(ids) do "
				+ "out[i] = redis.call('HGET', KEYS[1] .. ':job:' .. id, 'payload') end return out", "1", base);
		List<String> payloads = new ArrayList<>();
		for (Object payload : (List<?>) all) {
			payloads.add(String.valueOf(payload));
		}
		return payloads;
	}

	/** Runs the body on 16 threads started together, returning what each returned. */
	private static <T> List<T> atOnce(ProducerBody<T> body) {
		ExecutorService threads = Executors.newFixedThreadPool(16);
		try {
			CyclicBarrier start = new CyclicBarrier(16);
			List<Future<T>> results = new ArrayList<>();
			for (int producer = 0; producer < 16; producer++) {
				int number = producer;
				Callable<T> task = () -> {
					start.await(10, TimeUnit.SECONDS);
					return body.run(number);
				};
				results.add(threads.submit(task));
			}
			List<T> values = new ArrayList<>();
			for (Future<T> result : results) {
				values.add(result.get(60, TimeUnit.SECONDS));
			}
			return values;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@FunctionalInterface
	interface ProducerBody<T> {

		T run(int producer) throws Exception;

	}

}
