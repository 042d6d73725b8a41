package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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
	 * The turn to send passes to a waiting caller whose thread only runs again after its deadline (a stalled thread),
	 * replayed step by step on the real lane: it must pass the turn on and give up, never send its job and then report
	 * that it failed.
	 */
	@Test
	void aCallerThatGetsTheTurnOnlyAfterItsDeadlineNeverSendsItsJob() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String queue = queue();
				jobs.enqueue(queue, new Task(-1, 0));
				Object lane = ((Map<?, ?>) field(field(field(jobs, "coalescer"), "lanes"), "lanes")).get(queue);
				java.util.concurrent.atomic.AtomicBoolean sending = (java.util.concurrent.atomic.AtomicBoolean) field(lane,
						"sending");
				await().atMost(Duration.ofSeconds(5)).until(() -> !sending.get());
				// The turn was handed to the caller (state LEADING) while its thread stood still past its deadline.
				Object stalled = waiter(System.nanoTime() - 1, "{\"producer\":2,\"number\":2}");
				java.lang.reflect.Field state = stalled.getClass().getDeclaredField("state");
				state.setAccessible(true);
				assertThat(sending.compareAndSet(false, true)).isTrue();
				state.setInt(stalled, 1);
				// Its thread runs again (the same steps as entering with its job).
				java.lang.reflect.Method enqueue = lane.getClass().getDeclaredMethod("submit", stalled.getClass());
				enqueue.setAccessible(true);
				assertThatExceptionOfType(java.lang.reflect.InvocationTargetException.class)
					.isThrownBy(() -> enqueue.invoke(lane, stalled))
					.withCauseInstanceOf(dev.redisstarter.core.RedisDeadlineExceededException.class);
				assertThat(sending.get()).as("the turn is passed on: %s", laneState(jobs, queue)).isFalse();
				assertThat(outcome(jobs, queue, new Task(3, 3))).as("the queue still works").startsWith("stored");
				assertThat(WaitingPayloads.of(server, queue)).as("jobs stored")
					.anyMatch((payload) -> payload.contains("\"number\":3"))
					.noneMatch((payload) -> payload.contains("\"number\":2"));
			});
		}
	}

	/** A caller's waiting job as {@code Lane.submit} takes it, default options, the given payload and deadline. */
	private static Object waiter(long deadline, String payload) throws ReflectiveOperationException {
		Class<?> waiterType = Class.forName(dev.redisstarter.core.CallCoalescer.class.getName() + "$Waiter");
		java.lang.reflect.Constructor<?> newWaiter = waiterType.getDeclaredConstructor(Object.class, long.class,
				long.class);
		newWaiter.setAccessible(true);
		byte[][] job = new byte[RedisJobQueue.FIELDS_PER_JOB][];
		for (int i = 0; i < job.length; i++) {
			job[i] = new byte[0];
		}
		job[3] = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		job[4] = "0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		job[5] = "-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		job[6] = "-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		job[7] = "1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		job[8] = "fixed:1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		job[9] = "0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		job[10] = "0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		return newWaiter.newInstance(job, (long) job[3].length, deadline);
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
				List<String> probeFailures = new CopyOnWriteArrayList<>();
				long thawed = System.nanoTime();
				try {
					await().atMost(Duration.ofSeconds(10)).until(() -> {
						long start = System.nanoTime();
						try {
							return jobs.enqueue(queue, new Task(-1, probe.incrementAndGet())) != null;
						}
						catch (RuntimeException ex) {
							probeFailures.add(TimeUnit.NANOSECONDS.toMillis(start - thawed) + "+"
									+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + "ms: " + ex);
							return false;
						}
					});
				}
				catch (RuntimeException ex) {
					throw new AssertionError("No enqueue after the thaw: " + probeFailures.size() + " failed, first "
							+ probeFailures.subList(0, Math.min(3, probeFailures.size())) + ", last "
							+ probeFailures.get(probeFailures.size() - 1) + "; circuit "
							+ context.getBean(dev.redisstarter.core.RedisAccess.class).circuit().state() + "; lane "
							+ laneState(jobs, queue), ex);
				}
				Thread.sleep(TIMEOUT);
				List<String> payloads = WaitingPayloads.of(server, queue);
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
	 * A caller is added to its lane's waiting jobs, and before it asks for the turn the holder takes its job, has it
	 * answered and frees the turn (a preempted thread; or a call failed at once, circuit open). Replayed here step by
	 * step on the real lane: the caller then wins the turn with its job already answered. It must pass the turn on;
	 * kept, every later enqueue of the queue waits out its deadline and fails (seen in the outage test, 1 run in 4).
	 */
	@Test
	@SuppressWarnings("unchecked")
	void aCallerWhoseJobWasAnsweredBeforeItAskedForTheTurnPassesTheTurnOn() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String queue = queue();
				jobs.enqueue(queue, new Task(-1, 0));
				Object lane = ((Map<?, ?>) field(field(field(jobs, "coalescer"), "lanes"), "lanes")).get(queue);
				java.util.concurrent.atomic.AtomicBoolean sending = (java.util.concurrent.atomic.AtomicBoolean) field(lane,
						"sending");
				// The reply's thread frees the turn just after handing the outcomes over.
				await().atMost(Duration.ofSeconds(5)).until(() -> !sending.get());
				// The caller's job joins the waiting ones (the first step of Lane.submit) ...
				Object preempted = waiter(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), "{\"producer\":1,\"number\":1}");
				((java.util.Queue<Object>) field(lane, "waiting")).add(preempted);
				// ... another caller takes the turn, sends both jobs, is answered and frees the turn ...
				assertThat(outcome(jobs, queue, new Task(2, 2))).as("lane %s; preempted %s %s", laneState(jobs, queue),
						field(preempted, "state"), field(preempted, "outcome")).startsWith("stored");
				assertThat(field(preempted, "outcome")).as("the preempted caller's job was answered").isNotNull();
				await().atMost(Duration.ofSeconds(5)).until(() -> !sending.get());
				// ... and the preempted caller goes on: it asks for the turn (here by entering again with its answered
				// job, which goes through the same steps), gets it, and returns its answer.
				java.lang.reflect.Method enqueue = lane.getClass().getDeclaredMethod("submit", preempted.getClass());
				enqueue.setAccessible(true);
				assertThat(enqueue.invoke(lane, preempted)).isNotNull();
				assertThat(sending.get()).as("the turn is free again: %s", laneState(jobs, queue)).isFalse();
				long start = System.nanoTime();
				assertThat(outcome(jobs, queue, new Task(3, 3))).startsWith("stored");
				assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(TIMEOUT);
			});
		}
	}

	/**
	 * While Redis is stopped every call fails at once (connection down, then circuit open), on the sending thread:
	 * a batch can be taken, failed and its turn freed before one of its callers, just added, asks for the turn. Such
	 * a caller must not keep the turn (it would hold it forever, and every later enqueue of the queue would wait out
	 * its deadline).
	 */
	@Test
	void callsFailingAtOnceWhileRedisIsStoppedNeverWedgeTheQueue() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String queue = queue();
				jobs.enqueue(queue, new Task(-1, 0));
				server.stop();
				AtomicInteger calls = new AtomicInteger();
				List<Long> millis = new CopyOnWriteArrayList<>();
				long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2000);
				ExecutorService producers = Executors.newFixedThreadPool(16);
				try {
					for (int p = 0; p < 16; p++) {
						int producer = p;
						producers.submit(() -> {
							long slowest = 0;
							for (int i = 0; System.nanoTime() < end; i++) {
								long start = System.nanoTime();
								try {
									jobs.enqueue(queue, new Task(producer, i));
								}
								catch (JobQueueUnavailableException ex) {
									// Expected: Redis is stopped.
								}
								calls.incrementAndGet();
								slowest = Math.max(slowest, System.nanoTime() - start);
							}
							millis.add(TimeUnit.NANOSECONDS.toMillis(slowest));
						});
					}
					producers.shutdown();
					assertThat(producers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
				}
				finally {
					producers.shutdownNow();
				}
				server.start();
				AtomicInteger probe = new AtomicInteger();
				try {
					await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
						.until(() -> jobs.enqueue(queue, new Task(-1, probe.incrementAndGet())) != null);
				}
				catch (RuntimeException ex) {
					throw new AssertionError("No enqueue after the restart (" + calls + " calls while stopped, slowest "
							+ millis + " ms); lane " + laneState(jobs, queue), ex);
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
				List<String> ids = ProducersAtOnce.run((producer) -> jobs.enqueue(queue, new Task(producer, 2)));
				assertThat(Set.copyOf(ids)).hasSize(16);
				server.command("SCRIPT", "FLUSH");
				List<String> more = ProducersAtOnce.run((producer) -> jobs.enqueue(queue, new Task(producer, 3)));
				assertThat(Set.copyOf(more)).hasSize(16);
				assertThat(WaitingPayloads.of(server, queue)).doesNotHaveDuplicates()
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
				List<String> outcomes = ProducersAtOnce.run((producer) -> {
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
				List<String> ids = ProducersAtOnce.run((producer) -> jobs.enqueue(queue, new Task(producer, 1)));
				assertThat(Set.copyOf(ids)).hasSize(16);
			});
		}
	}

	/**
	 * One caller's job that Redis refuses inside the script (a deduplication window Redis cannot store: SET PX
	 * overflows) travels with others: it must not fail them, nor leave jobs stored whose callers were told they
	 * failed. It is refused at once, before any batch.
	 */
	@Test
	void aJobRedisWouldRefuseIsRefusedAtOnceAndFailsNoOtherCallerOfItsBatch() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				String queue = queue();
				jobs.enqueue(queue, new Task(-1, 0));
				Map<Integer, String> outcomes = new ConcurrentHashMap<>();
				// The first call is held by a short freeze, so that the 16 callers after it travel together.
				server.freeze();
				Thread first = new Thread(() -> outcomes.put(-2, outcome(jobs, queue, new Task(-2, 0))));
				List<String> others;
				try {
					first.start();
					Thread.sleep(50);
					ExecutorService threads = Executors.newFixedThreadPool(16);
					try {
						List<Future<?>> all = new ArrayList<>();
						for (int p = 0; p < 16; p++) {
							int producer = p;
							all.add(threads.submit(() -> {
								try {
									JobOptions options = (producer != 7) ? JobOptions.defaults()
											: JobOptions.defaults().withDeduplication("forever", Duration.ofMillis(Long.MAX_VALUE));
									outcomes.put(producer, outcome(jobs, queue, new Task(producer, 1), options));
								}
								catch (IllegalArgumentException ex) {
									outcomes.put(producer, "refused: " + ex.getMessage());
								}
							}));
						}
						Thread.sleep(100);
						server.thaw();
						for (Future<?> one : all) {
							one.get(10, TimeUnit.SECONDS);
						}
					}
					finally {
						threads.shutdownNow();
					}
				}
				finally {
					server.thaw();
				}
				first.join(10_000);
				assertThat(outcomes.get(7)).as("the caller whose window Redis cannot store").startsWith("refused");
				for (int p = 0; p < 16; p++) {
					if (p != 7) {
						assertThat(outcomes.get(p)).as("caller %d", p).startsWith("stored");
					}
				}
				List<String> payloads = WaitingPayloads.of(server, queue);
				for (int p = 0; p < 16; p++) {
					int producer = p;
					assertThat(payloads.stream().anyMatch((payload) -> payload.contains("\"producer\":" + producer + ",")))
						.as("caller %d's job stored", producer)
						.isEqualTo(outcomes.get(producer).startsWith("stored"));
				}
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
					assertThat(WaitingPayloads.of(server, follow)).hasSize(300).doesNotHaveDuplicates();
				});
		}
	}

	private static String outcome(JobQueue jobs, String queue, Task task) {
		return outcome(jobs, queue, task, JobOptions.defaults());
	}

	private static String outcome(JobQueue jobs, String queue, Task task, JobOptions options) {
		long start = System.nanoTime();
		try {
			return "stored " + jobs.enqueue(queue, task, options);
		}
		catch (JobQueueUnavailableException ex) {
			return "failed after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + ex;
		}
	}

	/** The coalescer's lane of a queue, for a failure's message. */
	static String laneState(JobQueue jobs, String queue) {
		try {
			Object coalescer = field(field(jobs, "coalescer"), "lanes");
			Object lane = ((Map<?, ?>) field(coalescer, "lanes")).get(queue);
			if (lane == null) {
				return "none";
			}
			StringBuilder text = new StringBuilder("sending=" + field(lane, "sending") + " waiting=[");
			for (Object waiter : (Iterable<?>) field(lane, "waiting")) {
				Thread thread = (Thread) field(waiter, "thread");
				text.append(field(waiter, "state")).append(':').append(thread.getName()).append('/')
					.append(thread.getState()).append(' ');
			}
			return text.append(']').toString();
		}
		catch (ReflectiveOperationException ex) {
			return ex.toString();
		}
	}

	private static Object field(Object owner, String name) throws ReflectiveOperationException {
		java.lang.reflect.Field field = owner.getClass().getDeclaredField(name);
		field.setAccessible(true);
		return field.get(owner);
	}

}
