package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Delays, priorities, deduplication and the per-job options, on one real Redis: delayed jobs start no earlier than
 * due and within {@link #LATE} of it (an idle worker wakes for the due time, not its idle wait), the highest
 * priority runs first and equal priorities in enqueue order, equal ids and deduplication keys return the existing
 * job, attempt timeouts interrupt, non-retryable errors and unreadable payloads dead-letter at once, and a back-off
 * pauses the queue without charging the attempt.
 */
@RealRedis
@Tag("compat")
class JobQueueSchedulingTests {

	/** How early a job may start: the JVM's and the server's clocks are one machine's, read to the millisecond. */
	private static final long EARLY = 20;

	/** How late a delayed job may start after it is due. */
	private static final long LATE = 300;

	record Task(String name) {
	}

	/** When a handler started, by this machine's clock, and when its job was enqueued, by the server's. */
	record Start(long atMillis, Instant enqueuedAt, int attempt) {
	}

	/** Records the start of every job. */
	static class Timed {

		final Map<String, Start> starts = new ConcurrentHashMap<>();

		@JobHandler(queue = "${test.queue}", concurrency = 8)
		void run(Task task, JobContext context) {
			this.starts.put(task.name(),
					new Start(System.currentTimeMillis(), context.enqueuedAt(), context.attempt()));
		}

	}

	@Test
	void delayedJobsStartNoEarlierThanDueAndWithinTheTolerance() {
		String queue = queue();
		runner(queue).withBean(Timed.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Timed timed = context.getBean(Timed.class);
			warmUp(jobs, queue, timed.starts);
			// Out of order on purpose: a later enqueue due earlier must wake the worker to its new due time.
			long[] delays = { 2000, 1500, 1700, 1500, 1900 };
			Map<String, Long> delayOf = new LinkedHashMap<>();
			Map<String, Long> enqueuedBy = new LinkedHashMap<>();
			for (int i = 0; i < delays.length; i++) {
				String name = "delay-" + i;
				jobs.enqueue(queue, new Task(name), JobOptions.defaults().withDelay(Duration.ofMillis(delays[i])));
				delayOf.put(name, delays[i]);
				enqueuedBy.put(name, System.currentTimeMillis());
			}
			Map<String, Long> runAts = new LinkedHashMap<>();
			for (long offset : new long[] { 1600, 1500 }) {
				String name = "run-at-" + offset;
				long runAt = System.currentTimeMillis() + offset;
				jobs.enqueue(queue, new Task(name), JobOptions.defaults().withRunAt(Instant.ofEpochMilli(runAt)));
				runAts.put(name, runAt);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> timed.starts.size() == 1 + delays.length + runAts.size());
			List<Long> lateness = new ArrayList<>();
			delayOf.forEach((name, delay) -> {
				Start start = timed.starts.get(name);
				long due = start.enqueuedAt().toEpochMilli() + delay;
				assertThat(start.atMillis()).as("%s started %d ms after due", name, start.atMillis() - due)
					.isGreaterThanOrEqualTo(due - EARLY)
					.isLessThanOrEqualTo(enqueuedBy.get(name) + delay + LATE);
				lateness.add(start.atMillis() - due);
			});
			runAts.forEach((name, runAt) -> {
				Start start = timed.starts.get(name);
				assertThat(start.atMillis()).as("%s started %d ms after due", name, start.atMillis() - runAt)
					.isBetween(runAt - EARLY, runAt + LATE);
				lateness.add(start.atMillis() - runAt);
			});
			System.out.println("Delayed jobs started this many ms after due: " + lateness);
		});
	}

	@Test
	void aDelayedJobEnqueuedWhileTheWorkerWaitsOutALongIdleWaitStartsOnTime() {
		String queue = queue();
		runner(queue).withPropertyValues("redis.starter.queue.defaults.idle-wait=30s").withBean(Timed.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Timed timed = context.getBean(Timed.class);
			warmUp(jobs, queue, timed.starts);
			// The queue is empty: the worker is back on the signal list for 30 s.
			Thread.sleep(500);
			jobs.enqueue(queue, new Task("delayed"), JobOptions.defaults().withDelay(Duration.ofMillis(1500)));
			long enqueuedBy = System.currentTimeMillis();
			await().atMost(Duration.ofSeconds(5)).until(() -> timed.starts.containsKey("delayed"));
			Start start = timed.starts.get("delayed");
			long due = start.enqueuedAt().toEpochMilli() + 1500;
			System.out.println("A delayed job on an idle worker started " + (start.atMillis() - due) + " ms after due");
			assertThat(start.atMillis()).isGreaterThanOrEqualTo(due - EARLY).isLessThanOrEqualTo(enqueuedBy + 1500 + LATE);
		});
	}

	@Test
	void anIdleWorkerStartsDelayedJobsOnTimeEvenWhenRedisEndsBlockingTimeoutsLate() {
		String queue = queue();
		// hz 1: Redis ends a BLPOP's timeout at its next cron tick, up to a second late. The worker must wake by its
		// own clock.
		try (LocalRedisServer server = LocalRedisServer.builder().config("hz", "1").build().start()) {
			QueueContexts.runner(server).withPropertyValues("test.queue=" + queue).withBean(Timed.class).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				Timed timed = context.getBean(Timed.class);
				warmUp(jobs, queue, timed.starts);
				List<Long> lateness = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					// The worker is idle on the signal list; each job is due while it waits.
					Thread.sleep(200);
					String name = "idle-" + i;
					jobs.enqueue(queue, new Task(name), JobOptions.defaults().withDelay(Duration.ofMillis(400)));
					long enqueuedBy = System.currentTimeMillis();
					await().atMost(Duration.ofSeconds(5)).until(() -> timed.starts.containsKey(name));
					Start start = timed.starts.get(name);
					long due = start.enqueuedAt().toEpochMilli() + 400;
					lateness.add(start.atMillis() - due);
					assertThat(start.atMillis()).as("%s started %d ms after due", name, start.atMillis() - due)
						.isGreaterThanOrEqualTo(due - EARLY)
						.isLessThanOrEqualTo(enqueuedBy + 400 + LATE);
				}
				System.out.println("Delayed jobs on an idle worker (Redis hz 1) started this many ms after due: "
						+ lateness);
			});
		}
	}

	record Ranked(int index, int priority) {
	}

	/** Holds its first job until released; records the order of the others. */
	static class Prioritized {

		final CountDownLatch blocking = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final QueueContexts.Received<Ranked> order = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void run(Ranked job) throws InterruptedException {
			if (job.index() == -1) {
				this.blocking.countDown();
				this.release.await(20, TimeUnit.SECONDS);
			}
			else if (job.index() >= 0) {
				this.order.add(job);
			}
		}

	}

	@Test
	void underLoadHigherPrioritiesStartFirstAndEqualPrioritiesInEnqueueOrder() {
		String queue = queue();
		runner(queue).withBean(Prioritized.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Prioritized handler = context.getBean(Prioritized.class);
			jobs.enqueue(queue, new Ranked(-1, 0));
			assertThat(handler.blocking.await(5, TimeUnit.SECONDS)).isTrue();
			// The worker takes as many jobs ahead as it runs at once (one here): a filler takes that slot, so the
			// order below is the order take.lua pops from the ready set.
			jobs.enqueue(queue, new Ranked(-2, 0));
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).active() == 2);
			long seed = System.nanoTime();
			Random random = new Random(seed);
			List<Ranked> enqueued = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				Ranked job = new Ranked(i, random.nextInt(11) - 5);
				jobs.enqueue(queue, job, JobOptions.defaults().withPriority(job.priority()));
				enqueued.add(job);
			}
			assertThat(jobs.counts(queue).waiting()).isEqualTo(300);
			handler.release.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> handler.order.size() == 300);
			List<Ranked> started = handler.order.snapshot();
			for (int i = 1; i < started.size(); i++) {
				Ranked previous = started.get(i - 1);
				Ranked current = started.get(i);
				assertThat(current.priority()).as("seed %d: start %d after %s", seed, i, previous)
					.isLessThanOrEqualTo(previous.priority());
				if (current.priority() == previous.priority()) {
					assertThat(current.index()).as("seed %d: FIFO within priority %d", seed, current.priority())
						.isGreaterThan(previous.index());
				}
			}
			assertThat(started).containsExactlyElementsOf(enqueued.stream()
				.sorted(Comparator.comparingInt(Ranked::priority).reversed().thenComparingInt(Ranked::index))
				.toList());
		});
	}

	/** Counts how often each job ran. */
	static class Counting {

		final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

		final QueueContexts.Received<String> order = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void run(Task task) {
			this.runs.computeIfAbsent(task.name(), (name) -> new AtomicInteger()).incrementAndGet();
			this.order.add(task.name());
		}

	}

	@Test
	void aDeduplicationKeyReturnsTheExistingJobWithinItsWindowAndANewOneAfter() {
		String queue = queue();
		runner(queue).withBean(Counting.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Counting handler = context.getBean(Counting.class);
			JobOptions deduplicated = JobOptions.defaults().withDeduplication("order-42", Duration.ofSeconds(2));
			long windowStart = System.currentTimeMillis();
			String first = jobs.enqueue(queue, new Task("first"), deduplicated);
			String second = jobs.enqueue(queue, new Task("second"), deduplicated);
			assertThat(second).isEqualTo(first);
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).completed() == 1);
			// Still within the window, and the first job completed: still the same job.
			assertThat(jobs.enqueue(queue, new Task("third"), deduplicated)).isEqualTo(first);
			Thread.sleep(Math.max(0, windowStart + 2100 - System.currentTimeMillis()));
			String after = jobs.enqueue(queue, new Task("after"), deduplicated);
			assertThat(after).isNotEqualTo(first);
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).completed() == 2);
			assertThat(handler.runs).containsOnlyKeys("first", "after");
			assertThat(handler.runs.values()).allSatisfy((runs) -> assertThat(runs).hasValue(1));
		});
	}

	@Test
	void aJobIdEnqueuedTwiceIsOneJob() {
		String queue = queue();
		runner(queue).withBean(Counting.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Counting handler = context.getBean(Counting.class);
			JobOptions withId = JobOptions.defaults().withJobId("x");
			assertThat(jobs.enqueue(queue, new Task("first"), withId)).isEqualTo("x");
			assertThat(jobs.enqueue(queue, new Task("second"), withId)).isEqualTo("x");
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).completed() == 1);
			// Completed and kept: the id still names that job.
			assertThat(jobs.enqueue(queue, new Task("third"), withId)).isEqualTo("x");
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> handler.runs.size() == 1);
			assertThat(handler.runs).containsOnlyKeys("first");
			assertThat(handler.runs.get("first")).hasValue(1);
			assertThat(jobs.job(queue, "x")).get().satisfies((job) -> {
				assertThat(job.state()).isEqualTo(JobState.COMPLETED);
				assertThat(job.payload()).contains("first");
			});
		});
	}

	@Test
	void enqueueAllReturnsTheIdsInPayloadOrder() {
		String queue = queue();
		runner(queue).withBean(Counting.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Counting handler = context.getBean(Counting.class);
			List<Task> tasks = IntStream.range(0, 50).mapToObj((i) -> new Task("bulk-" + i)).toList();
			List<String> ids = jobs.enqueueAll(queue, tasks, JobOptions.defaults().withPriority(3));
			assertThat(ids).hasSize(50).doesNotHaveDuplicates();
			for (int i = 0; i < ids.size(); i++) {
				assertThat(jobs.job(queue, ids.get(i))).get()
					.extracting(JobInfo::payload, JobInfo::priority)
					.containsExactly("{\"name\":\"bulk-" + i + "\"}", 3);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> handler.order.size() == 50);
			assertThat(handler.order.snapshot()).containsExactlyElementsOf(tasks.stream().map(Task::name).toList());
			assertThatIllegalArgumentException()
				.isThrownBy(() -> jobs.enqueueAll(queue, tasks, JobOptions.defaults().withJobId("shared")));
		});
	}

	/** Sleeps through its first attempt; completes the second. */
	static class Sleepy {

		final AtomicLong interruptedAfterMillis = new AtomicLong(-1);

		final QueueContexts.Received<Integer> attempts = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void run(Task task, JobContext context) throws InterruptedException {
			this.attempts.add(context.attempt());
			if (context.attempt() == 1) {
				long start = System.nanoTime();
				try {
					Thread.sleep(5000);
				}
				catch (InterruptedException ex) {
					this.interruptedAfterMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
					throw ex;
				}
			}
		}

	}

	@Test
	void anAttemptPastItsTimeoutIsInterruptedFailsWithJobTimeoutExceptionAndIsRetried() {
		String queue = queue();
		runner(queue).withBean(Sleepy.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Sleepy handler = context.getBean(Sleepy.class);
			String id = jobs.enqueue(queue, new Task("slow"),
					JobOptions.defaults().withAttemptTimeout(Duration.ofMillis(300)).withAttempts(3));
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).completed() == 1);
			assertThat(handler.interruptedAfterMillis.get()).isBetween(250L, 1000L);
			assertThat(handler.attempts.snapshot()).containsExactly(1, 2);
			JobInfo job = jobs.job(queue, id).orElseThrow();
			assertThat(job.state()).isEqualTo(JobState.COMPLETED);
			assertThat(job.attempts()).isEqualTo(2);
			assertThat(job.history()).singleElement().satisfies((error) -> {
				assertThat(error.attempt()).isEqualTo(1);
				assertThat(error.type()).isEqualTo(JobTimeoutException.class.getName());
				assertThat(error.message()).contains("300 ms");
			});
		});
	}

	static class BadAddressException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		BadAddressException(String message) {
			super(message);
		}

	}

	static class UnknownDomainException extends BadAddressException {

		private static final long serialVersionUID = 1L;

		UnknownDomainException(String message) {
			super(message);
		}

	}

	/** Fails every job, with the error its name asks for. */
	static class Picky {

		final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

		@JobHandler(queue = "${test.queue}", concurrency = 4, noRetryFor = BadAddressException.class)
		void run(Task task) {
			this.runs.computeIfAbsent(task.name(), (name) -> new AtomicInteger()).incrementAndGet();
			switch (task.name()) {
				case "non-retryable" -> throw new NonRetryableJobException("the address is rejected");
				case "no-retry-for" -> throw new BadAddressException("no such mailbox");
				case "no-retry-for-subclass" -> throw new UnknownDomainException("no such domain");
				default -> throw new IllegalStateException("the mail server is busy");
			}
		}

	}

	@Test
	void nonRetryableErrorsDeadLetterAfterOneAttemptWhileOthersSpendTheirAttempts() {
		String queue = queue();
		runner(queue).withBean(Picky.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Picky handler = context.getBean(Picky.class);
			JobOptions fiveAttempts = JobOptions.defaults().withAttempts(5);
			Map<String, String> ids = new LinkedHashMap<>();
			for (String name : List.of("non-retryable", "no-retry-for", "no-retry-for-subclass")) {
				ids.put(name, jobs.enqueue(queue, new Task(name), fiveAttempts));
			}
			String retried = jobs.enqueue(queue, new Task("retryable"), JobOptions.defaults().withAttempts(2));
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).dead() == 4);
			Map<String, Class<?>> errors = Map.of("non-retryable", NonRetryableJobException.class, "no-retry-for",
					BadAddressException.class, "no-retry-for-subclass", UnknownDomainException.class);
			ids.forEach((name, id) -> {
				assertThat(handler.runs.get(name)).as(name).hasValue(1);
				JobInfo job = jobs.job(queue, id).orElseThrow();
				assertThat(job.state()).isEqualTo(JobState.DEAD);
				assertThat(job.attempts()).as(name).isEqualTo(1);
				assertThat(job.errorType()).isEqualTo(errors.get(name).getName());
				assertThat(job.history()).extracting(JobError::attempt).containsExactly(1);
			});
			assertThat(handler.runs.get("retryable")).hasValue(2);
			assertThat(jobs.job(queue, retried)).get().extracting(JobInfo::attempts).isEqualTo(2);
		});
	}

	/** Asks the queue to back off on the first attempt of "backs-off". */
	static class BackingOff {

		final AtomicLong thrownAt = new AtomicLong();

		final Map<String, List<Start>> starts = new ConcurrentHashMap<>();

		@JobHandler(queue = "${test.queue}", concurrency = 2)
		void run(Task task, JobContext context) {
			this.starts.computeIfAbsent(task.name(), (name) -> new CopyOnWriteArrayList<>())
				.add(new Start(System.currentTimeMillis(), context.enqueuedAt(), context.attempt()));
			if (task.name().equals("backs-off") && this.thrownAt.get() == 0) {
				this.thrownAt.set(System.currentTimeMillis());
				throw new JobBackOffException(Duration.ofSeconds(1));
			}
		}

	}

	@Test
	void aBackOffPausesTheQueueAndGivesTheJobBackWithoutChargingTheAttempt() {
		String queue = queue();
		runner(queue).withBean(BackingOff.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			BackingOff handler = context.getBean(BackingOff.class);
			String id = jobs.enqueue(queue, new Task("backs-off"));
			AtomicLong pausedFor = new AtomicLong();
			await().atMost(Duration.ofSeconds(5)).until(() -> {
				pausedFor.set(jobs.counts(queue).pausedForMillis());
				return pausedFor.get() > 0;
			});
			assertThat(pausedFor.get()).isLessThanOrEqualTo(1000);
			List<String> others = List.of("during-1", "during-2", "during-3");
			others.forEach((name) -> jobs.enqueue(queue, new Task(name)));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> handler.starts.keySet().containsAll(others) && handler.starts.get("backs-off").size() == 2);
			long pauseFrom = handler.thrownAt.get();
			List<Start> later = new ArrayList<>(handler.starts.get("backs-off").subList(1, 2));
			others.forEach((name) -> later.addAll(handler.starts.get(name)));
			assertThat(later).allSatisfy((start) -> assertThat(start.atMillis() - pauseFrom)
				.as("no job starts within the pause").isBetween(900L, 1000L + LATE));
			assertThat(handler.starts.get("backs-off")).extracting(Start::attempt).containsExactly(1, 1);
			await().atMost(Duration.ofSeconds(2)).until(() -> jobs.counts(queue).completed() == 4);
			assertThat(jobs.job(queue, id)).get().satisfies((job) -> {
				assertThat(job.attempts()).isEqualTo(1);
				assertThat(job.history()).isEmpty();
			});
		});
	}

	/** Reports progress, then waits to be released. */
	static class Reporting {

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicReference<Boolean> recorded = new AtomicReference<>();

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void run(Task task, JobContext context) throws InterruptedException {
			this.recorded.set(context.reportProgress(Map.of("percent", 50, "step", "render")));
			this.release.await(10, TimeUnit.SECONDS);
		}

	}

	@Test
	void reportedProgressIsReadableWhileTheJobRunsAndAfter() {
		String queue = queue();
		runner(queue).withBean(Reporting.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			Reporting handler = context.getBean(Reporting.class);
			String id = jobs.enqueue(queue, new Task("report"));
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.job(queue, id).map(JobInfo::progress).isPresent());
			JobInfo running = jobs.job(queue, id).orElseThrow();
			assertThat(handler.recorded.get()).isTrue();
			assertThat(running.state()).isEqualTo(JobState.ACTIVE);
			assertThat(running.progress()).contains("\"percent\":50").contains("\"step\":\"render\"");
			handler.release.countDown();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> jobs.job(queue, id).map(JobInfo::state).orElse(null) == JobState.COMPLETED);
			assertThat(jobs.job(queue, id).orElseThrow().progress()).contains("\"percent\":50");
		});
	}

	@Test
	void invalidOptionsAndNamesAreRejectedBeforeAnythingIsEnqueued() {
		String queue = queue();
		runner(queue).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			assertThatIllegalArgumentException().isThrownBy(() -> JobOptions.defaults().withPriority(2000))
				.withMessageContaining("priority");
			assertThatIllegalArgumentException().isThrownBy(() -> JobOptions.defaults().withPriority(-1001));
			assertThatIllegalArgumentException().isThrownBy(() -> JobOptions.defaults().withAttempts(0))
				.withMessageContaining("attempt");
			assertThatIllegalArgumentException().isThrownBy(() -> JobOptions.defaults().withJobId("a{b}"))
				.withMessageContaining("braces");
			assertThatIllegalArgumentException().isThrownBy(() -> JobOptions.defaults().withJobId(""));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> JobOptions.defaults().withDeduplication("k}", Duration.ofSeconds(1)));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> JobOptions.defaults().withDeduplication("k", Duration.ZERO));
			assertThatIllegalArgumentException().isThrownBy(() -> JobOptions.defaults().withDelay(Duration.ofMillis(-1)));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> JobOptions.defaults().withAttemptTimeout(Duration.ZERO));
			assertThatIllegalArgumentException().isThrownBy(() -> jobs.enqueue("a{b}", new Task("x")))
				.withMessageContaining("braces");
			assertThat(jobs.counts(queue)).isEqualTo(new QueueCounts(queue, 0, 0, 0, 0, 0, 0, 0));
		});
	}

	record Invoice(String customer, long cents) {
	}

	/** Typed with a record that a JSON string cannot bind to. */
	static class Invoicing {

		final AtomicInteger runs = new AtomicInteger();

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void run(Invoice invoice) {
			this.runs.incrementAndGet();
		}

	}

	@Test
	void aPayloadTheHandlerCannotReadGoesToTheDeadLettersAtOnce() {
		String queue = queue();
		runner(queue).withBean(Invoicing.class).run((context) -> {
			JobQueue jobs = context.getBean(JobQueue.class);
			JobDeadLetters dead = context.getBean(JobDeadLetters.class);
			String id = jobs.enqueue(queue, "not an invoice", JobOptions.defaults().withAttempts(5));
			await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).dead() == 1);
			assertThat(context.getBean(Invoicing.class).runs).hasValue(0);
			assertThat(dead.list(queue, 0, 10)).singleElement().satisfies((job) -> {
				assertThat(job.id()).isEqualTo(id);
				assertThat(job.attempts()).isEqualTo(1);
				assertThat(job.payload()).isEqualTo("\"not an invoice\"");
				assertThat(job.errorType()).isEqualTo(NonRetryableJobException.class.getName());
				// Jackson's reason, not only the type.
				assertThat(job.errorMessage()).startsWith("the payload could not be read as " + Invoice.class.getName() + ": ")
					.contains("Cannot construct instance of")
					.doesNotContain("[simple type");
			});
		});
	}

	private static void warmUp(JobQueue jobs, String queue, Map<String, ?> starts) {
		jobs.enqueue(queue, new Task("warm-up"));
		await().atMost(Duration.ofSeconds(5)).until(() -> starts.containsKey("warm-up"));
	}

	private static String queue() {
		return "scheduling-" + UUID.randomUUID();
	}

	private static ApplicationContextRunner runner(String queue) {
		return QueueContexts.runner(SharedRedis.standalone()).withPropertyValues("test.queue=" + queue);
	}

}
