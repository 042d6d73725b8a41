package dev.redisstarter.messaging.queue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.RedisDeployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults in sequence around coalesced single enqueues, whose next batch the reply's thread (Lettuce's I/O thread, or
 * the deadline task's) sends itself: while producers keep enqueueing, Redis is frozen past the deadline, then
 * stopped, then restarted empty (and, on a Cluster, one of two queues' masters frozen). A watcher samples the
 * client's I/O threads throughout: none may ever be found parked or blocked in the starter's code (waiting for a
 * connection, running a script synchronously), nor deep in a chain of batches sent from one another's replies.
 */
class JobQueueCoalescedEnqueueSequenceTests {

	/** The queue timeout (its default). */
	private static final long TIMEOUT = 500;

	/** What a call may take beyond its deadline on a shared two-core machine (GC, scheduling). */
	private static final long SLACK = 1000;

	record Task(int producer, int number) {
	}

	private static ApplicationContextRunner runner(RedisDeployment redis) {
		return QueueContexts.runner(redis)
			.withPropertyValues("redis.starter.resilience.open-duration=300ms",
					"redis.starter.queue.timeout=" + TIMEOUT + "ms");
	}

	@Test
	void freezePastTheDeadlineThenStopThenEmptyRestartNeverHoldsAnIoThreadNorACallerPastItsDeadline()
			throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				List<String> queues = List.of("seq-a-" + UUID.randomUUID(), "seq-b-" + UUID.randomUUID());
				for (String queue : queues) {
					jobs.enqueue(queue, new Task(-1, 0));
				}
				Producers producers = new Producers(jobs, queues, 24);
				try (IoThreadWatcher watcher = IoThreadWatcher.start()) {
					producers.start();
					Thread.sleep(300);
					server.freeze();
					Thread.sleep(3 * TIMEOUT);
					server.stop();
					Thread.sleep(1000);
					server.deleteDataFiles();
					long restarted = System.nanoTime();
					producers.restartedAt.set(restarted);
					server.start();
					// Every queue works again within seconds (no lane wedged), while the producers keep going.
					awaitEveryQueueWorks(jobs, queues);
					Thread.sleep(1000);
					producers.stop();
					watcher.assertNoIoThreadHeld();
				}
				producers.assertBounded();
				producers.assertStoredAfterRestart(server, jobs);
				producers.assertNothingStoredThatWasReportedNotSent(server);
			});
		}
	}

	@Test
	void onAClusterAFrozenMasterHoldsNeitherAnIoThreadNorTheQueueOfAnotherSlot() throws Exception {
		try (RedisCluster cluster = RedisCluster.threeMasters().start()) {
			runner(cluster).run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				LocalRedisServer first = cluster.masters().get(0);
				String frozenQueue = queueOn(cluster, first, "seq-frozen-");
				String healthyQueue = queueOn(cluster, cluster.masters().get(1), "seq-healthy-");
				List<String> queues = List.of(frozenQueue, healthyQueue);
				for (String queue : queues) {
					jobs.enqueue(queue, new Task(-1, 0));
				}
				Producers producers = new Producers(jobs, queues, 24);
				try (IoThreadWatcher watcher = IoThreadWatcher.start()) {
					producers.start();
					Thread.sleep(300);
					first.freeze();
					try {
						Thread.sleep(3 * TIMEOUT);
					}
					finally {
						first.thaw();
					}
					awaitEveryQueueWorks(jobs, queues);
					Thread.sleep(500);
					producers.stop();
					watcher.assertNoIoThreadHeld();
				}
				producers.assertBounded();
				assertThat(producers.succeeded.get(healthyQueue))
					.as("enqueues to the queue whose master never froze")
					.hasPositiveValue();
			});
		}
	}

	/**
	 * Redis frozen before the application starts: the starter's first connection hangs in its handshake, the circuit
	 * stays closed, and each holder of a lane's turn waits for that connection. A caller given the turn late in its
	 * deadline must still give up at its deadline, not a whole further deadline later.
	 */
	@Test
	void callersWaitingForAFirstConnectionThatHangsGiveUpAtTheirOwnDeadline() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			server.freeze();
			try {
				runner(server).run((context) -> {
					JobQueue jobs = context.getBean(JobQueue.class);
					List<Long> millis = new CopyOnWriteArrayList<>();
					ExecutorService threads = Executors.newFixedThreadPool(8);
					try {
						long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
						String queue = "seq-first-" + UUID.randomUUID();
						for (int p = 0; p < 8; p++) {
							int producer = p;
							threads.submit(() -> {
								for (int i = 0; System.nanoTime() < end; i++) {
									long start = System.nanoTime();
									try {
										jobs.enqueue(queue, new Task(producer, i));
									}
									catch (JobQueueUnavailableException ex) {
										// Expected: Redis is frozen.
									}
									millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
									Thread.sleep(producer * 37L % 120);
								}
								return null;
							});
						}
						threads.shutdown();
						assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
					}
					finally {
						threads.shutdownNow();
					}
					List<Long> sorted = new ArrayList<>(millis);
					sorted.sort(null);
					System.out.println("Calls while the first connection hangs (" + sorted.size() + "), slowest: "
							+ sorted.subList(Math.max(0, sorted.size() - 8), sorted.size()));
					assertThat(sorted).as("calls while the first connection hangs").isNotEmpty()
						.allSatisfy((took) -> assertThat(took).isLessThan(TIMEOUT + 400));
				});
			}
			finally {
				server.thaw();
			}
		}
	}

	/**
	 * The watcher itself: a thread named like an I/O thread that waits in this package's code, even for a few
	 * milliseconds at a time, is reported, and so is one blocked on a monitor for longer than a moment; one that only
	 * contends for a monitor for moments between runs is not. Without this, a watcher that never reports would pass
	 * every test above.
	 */
	@Test
	void theWatcherReportsAnIoThreadWaitingOrHeldInTheStartersCodeButNotAMomentaryContention() throws Exception {
		IoThreadWatcher watcher = IoThreadWatcher.start();
		AtomicBoolean briefOnly = new AtomicBoolean(true);
		Object monitor = new Object();
		AtomicBoolean contending = new AtomicBoolean(true);
		// Holds the monitor for 1 ms in every 5: the I/O thread below is blocked on it for moments only.
		Thread holder = new Thread(() -> {
			while (contending.get()) {
				synchronized (monitor) {
					spin(1);
				}
				spin(4);
			}
		}, "monitor-holder");
		Thread brief = new Thread(() -> {
			long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
			while (System.nanoTime() < end) {
				synchronized (monitor) {
					spin(1);
				}
			}
		}, "fake-nioEventLoop-brief");
		Thread waiting = new Thread(() -> {
			// Runs long enough to be seen, then waits 20 ms at a time: a reply thread that waits a little.
			spin(150);
			for (int i = 0; i < 10; i++) {
				java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
				spin(20);
			}
		}, "fake-nioEventLoop-waiting");
		Thread blocked = new Thread(() -> {
			synchronized (monitor) {
				spin(1);
			}
		}, "fake-nioEventLoop-blocked");
		try {
			Thread.sleep(150);
			holder.start();
			brief.start();
			brief.join();
			contending.set(false);
			holder.join();
			briefOnly.set(watcher.held.isEmpty());
			waiting.start();
			waiting.join();
			synchronized (monitor) {
				blocked.start();
				Thread.sleep(400);
			}
			blocked.join();
		}
		finally {
			watcher.close();
		}
		assertThat(briefOnly).as("no hold reported for a thread contending only for moments").isTrue();
		assertThat(watcher.held).as("holds reported")
			.anySatisfy((held) -> assertThat(held).startsWith("fake-nioEventLoop-waiting TIMED_WAITING:"))
			.anySatisfy((held) -> assertThat(held).startsWith("fake-nioEventLoop-blocked BLOCKED for "))
			.allSatisfy((held) -> assertThat(held).containsPattern("^fake-nioEventLoop-(waiting|blocked) "));
	}

	private static void spin(long millis) {
		long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		while (System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

	private static void awaitEveryQueueWorks(JobQueue jobs, List<String> queues) {
		for (String queue : queues) {
			AtomicInteger probe = new AtomicInteger();
			await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
				.until(() -> jobs.enqueue(queue, new Task(-2, probe.incrementAndGet())) != null);
		}
	}

	private static String queueOn(RedisCluster cluster, LocalRedisServer master, String prefix) {
		while (true) {
			String queue = prefix + UUID.randomUUID();
			if (cluster.masterForSlot(SlotHash.getSlot(queue)) == master) {
				return queue;
			}
		}
	}

	private static final java.util.regex.Pattern TASK = java.util.regex.Pattern
		.compile("\"producer\":(-?\\d+),\"number\":(\\d+)");

	/** Producers enqueueing to a few queues in a loop, each call timed and its outcome kept. */
	static final class Producers {

		private final JobQueue jobs;

		private final List<String> queues;

		private final int count;

		private final ExecutorService threads;

		private final AtomicBoolean running = new AtomicBoolean(true);

		final AtomicLong restartedAt = new AtomicLong(Long.MAX_VALUE);

		/** The slowest calls, as text, with how long they took. */
		final List<String> slow = new CopyOnWriteArrayList<>();

		final AtomicLong slowest = new AtomicLong();

		final AtomicInteger calls = new AtomicInteger();

		final Map<String, AtomicInteger> succeeded = new ConcurrentHashMap<>();

		/** Jobs reported stored after the restart began: id to payload. */
		final Map<String, Task> storedAfterRestart = new ConcurrentHashMap<>();

		/** Jobs whose caller was told they were never sent. */
		final Set<Task> reportedNotSent = ConcurrentHashMap.newKeySet();

		Producers(JobQueue jobs, List<String> queues, int count) {
			this.jobs = jobs;
			this.queues = queues;
			this.count = count;
			this.threads = Executors.newFixedThreadPool(count);
			for (String queue : queues) {
				this.succeeded.put(queue, new AtomicInteger());
			}
		}

		void start() {
			for (int p = 0; p < this.count; p++) {
				int producer = p;
				String queue = this.queues.get(p % this.queues.size());
				this.threads.submit(() -> {
					for (int i = 0; this.running.get(); i++) {
						Task task = new Task(producer, i);
						long start = System.nanoTime();
						String failure = null;
						try {
							String id = this.jobs.enqueue(queue, task);
							this.succeeded.get(queue).incrementAndGet();
							if (start - this.restartedAt.get() > 0) {
								this.storedAfterRestart.put(id, task);
							}
						}
						catch (JobQueueUnavailableException ex) {
							failure = String.valueOf(ex.getCause());
							if (failure.contains("was not sent") || failure.contains("never sent")) {
								this.reportedNotSent.add(task);
							}
						}
						long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
						this.calls.incrementAndGet();
						if (took > this.slowest.get()) {
							this.slowest.set(took);
						}
						if (took >= TIMEOUT + SLACK) {
							this.slow.add(took + " ms " + task + " " + failure);
						}
						if (failure != null) {
							// A failed call is retried at once, as a busy producer would.
							Thread.onSpinWait();
						}
					}
				});
			}
		}

		void stop() throws InterruptedException {
			this.running.set(false);
			this.threads.shutdown();
			assertThat(this.threads.awaitTermination(30, TimeUnit.SECONDS)).as("producers ended").isTrue();
		}

		void assertBounded() {
			System.out.println("Producers: " + this.calls + " calls, slowest " + this.slowest + " ms, succeeded "
					+ this.succeeded + ", " + this.reportedNotSent.size() + " told not sent, "
					+ this.storedAfterRestart.size() + " stored after a restart");
			assertThat(this.slow).as("calls of %s (slowest %d ms) taking the deadline plus %d ms or more", this.calls,
					this.slowest.get(), SLACK)
				.isEmpty();
		}

		void assertStoredAfterRestart(LocalRedisServer server, JobQueue jobs) {
			for (Map.Entry<String, Task> stored : this.storedAfterRestart.entrySet()) {
				String queue = this.queues.get(stored.getValue().producer() % this.queues.size());
				assertThat(jobs.job(queue, stored.getKey())).as("job %s reported stored after the restart", stored)
					.isPresent();
			}
		}

		void assertNothingStoredThatWasReportedNotSent(LocalRedisServer server) {
			Set<String> found = new java.util.HashSet<>();
			for (String queue : this.queues) {
				for (String payload : WaitingPayloads.of(server, queue)) {
					java.util.regex.Matcher task = TASK.matcher(payload);
					assertThat(task.find()).as("a task in %s", payload).isTrue();
					found.add(task.group(1) + ":" + task.group(2));
				}
			}
			assertThat(found).as("jobs stored after the restart").isNotEmpty();
			List<String> sentAnyway = new ArrayList<>();
			for (Task task : this.reportedNotSent) {
				if (found.contains(task.producer() + ":" + task.number())) {
					sentAnyway.add(task.toString());
				}
			}
			assertThat(sentAnyway).as("jobs stored whose callers were told they were not sent (of %d such)",
					this.reportedNotSent.size())
				.isEmpty();
		}

	}

	/**
	 * Samples the client's I/O threads (and the common pool, where deadline tasks complete replies) every
	 * millisecond or so, state and stack from one snapshot ({@link ThreadMXBean#getThreadInfo(long[], int)}). A
	 * thread waiting (parked, sleeping, in {@code Object.wait}) with the starter's code on its stack is held by it at
	 * once: such a thread waits for a connection, a reply or a timer, never for a moment's contention, and a wait of
	 * a few milliseconds on every tenth reply is as wrong as one of a second. A thread contending for a lock (a
	 * monitor, or parked acquiring a {@code java.util.concurrent} lock) is held only when that one contention (its
	 * blocked and waited counts unchanged) lasts {@link #CONTENDED_FOR_NANOS}: a moment's contention is not a hold,
	 * while a lock held across a wait for Redis is.
	 */
	static final class IoThreadWatcher implements AutoCloseable {

		private static final long CONTENDED_FOR_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final List<String> held = new CopyOnWriteArrayList<>();

		private final AtomicInteger deepestChain = new AtomicInteger();

		private final AtomicInteger samples = new AtomicInteger();

		private final AtomicInteger briefStops = new AtomicInteger();

		/** The threads reported (only the watcher's thread reads and writes it). */
		private final Set<Long> reported = new java.util.HashSet<>();

		private final Thread thread = new Thread(this::watch, "io-thread-watcher");

		static IoThreadWatcher start() {
			IoThreadWatcher watcher = new IoThreadWatcher();
			watcher.thread.setDaemon(true);
			watcher.thread.start();
			return watcher;
		}

		private void watch() {
			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			long[] watched = new long[0];
			long refreshed = 0;
			// Per thread id: where it was first seen stopped in the starter's code, and since when.
			Map<Long, Stop> stops = new java.util.HashMap<>();
			while (this.running.get()) {
				if (System.nanoTime() - refreshed > TimeUnit.MILLISECONDS.toNanos(100)) {
					watched = Thread.getAllStackTraces().keySet().stream()
						.filter((candidate) -> candidate.getName().contains("EventLoop")
								|| candidate.getName().startsWith("ForkJoinPool.commonPool"))
						.mapToLong(Thread::getId).toArray();
					refreshed = System.nanoTime();
				}
				for (ThreadInfo info : threads.getThreadInfo(watched, Integer.MAX_VALUE)) {
					if (info != null) {
						sample(info, stops);
					}
				}
				try {
					Thread.sleep(1);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		private void sample(ThreadInfo info, Map<Long, Stop> stops) {
			StackTraceElement[] stack = info.getStackTrace();
			this.samples.incrementAndGet();
			int starts = 0;
			boolean starter = false;
			for (StackTraceElement frame : stack) {
				if (frame.getClassName().startsWith("dev.redisstarter.")) {
					starter = true;
				}
				if (frame.getClassName().endsWith("CallCoalescer$Lane") && frame.getMethodName().equals("start")) {
					starts++;
				}
			}
			this.deepestChain.accumulateAndGet(starts, Math::max);
			if (!starter || info.getThreadState() == Thread.State.RUNNABLE) {
				if (stops.remove(info.getThreadId()) != null) {
					this.briefStops.incrementAndGet();
				}
				return;
			}
			// One stop while neither its blocked nor its waited count moved: the thread has not run since.
			long count = info.getBlockedCount() + info.getWaitedCount();
			long now = System.nanoTime();
			Stop stop = stops.get(info.getThreadId());
			if (stop == null || stop.count() != count) {
				stop = new Stop(count, now);
				stops.put(info.getThreadId(), stop);
			}
			if (!contending(info)) {
				report(info, stack, "");
			}
			else if (now - stop.since() >= CONTENDED_FOR_NANOS) {
				report(info, stack, " for " + TimeUnit.NANOSECONDS.toMillis(now - stop.since()) + " ms");
			}
		}

		/** Blocked on a monitor, or parked acquiring a lock: contention rather than a wait for something. */
		private static boolean contending(ThreadInfo info) {
			if (info.getThreadState() == Thread.State.BLOCKED) {
				return true;
			}
			for (StackTraceElement frame : info.getStackTrace()) {
				String type = frame.getClassName();
				if (type.startsWith("java.util.concurrent.locks.ReentrantLock")
						|| type.startsWith("java.util.concurrent.locks.ReentrantReadWriteLock")) {
					return true;
				}
				if (!type.startsWith("java.") && !type.startsWith("jdk.")) {
					// The JDK's frames end at the caller's: a lock taken further down is not this wait.
					return false;
				}
			}
			return false;
		}

		/** Each thread once (the first of its holds), five threads at most. */
		private void report(ThreadInfo info, StackTraceElement[] stack, String lasting) {
			if (this.held.size() >= 5 || !this.reported.add(info.getThreadId())) {
				return;
			}
			StringBuilder text = new StringBuilder(info.getThreadName() + " " + info.getThreadState() + lasting + ":");
			for (int i = 0; i < Math.min(25, stack.length); i++) {
				text.append("\n\t").append(stack[i]);
			}
			this.held.add(text.toString());
		}

		/** A stop seen: the thread's blocked and waited counts then, and since when. */
		private record Stop(long count, long since) {
		}

		void assertNoIoThreadHeld() {
			System.out.println("Watcher: " + this.samples + " samples, deepest chain of batch starts "
					+ this.deepestChain + ", brief stops " + this.briefStops + ", held " + this.held.size());
			assertThat(this.samples).as("samples of I/O threads").hasPositiveValue();
			assertThat(this.held).as("I/O or common-pool threads found held in the starter's code").isEmpty();
			assertThat(this.deepestChain.get()).as("batches started one inside another's reply on one stack")
				.isLessThanOrEqualTo(2);
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join(5000);
		}

	}

}
