package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.RedisServer;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Twenty thousand jobs through three application instances (three contexts, each with its own connections):
 * each job runs exactly once when nothing fails; when one instance is cut off from Redis mid-run and closed
 * without being able to give its jobs back, every job still completes once its leases expire, and only jobs that
 * instance held run twice.
 */
@RealRedis
class JobQueueScaleTests {

	static final int JOBS = 20_000;

	record Item(int number) {
	}

	/** Every handler invocation of every instance, by job id. */
	static final class Ledger {

		final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

		final Map<String, Set<String>> startedBy = new ConcurrentHashMap<>();

		final AtomicInteger invocations = new AtomicInteger();

		void ran(String instance, String id) {
			this.startedBy.computeIfAbsent(instance, (name) -> ConcurrentHashMap.newKeySet()).add(id);
			this.runs.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
			this.invocations.incrementAndGet();
		}

		Set<String> startedBy(String instance) {
			return Set.copyOf(this.startedBy.getOrDefault(instance, Set.of()));
		}

	}

	static class Worker {

		private final Ledger ledger;

		private final String instance;

		Worker(Ledger ledger, String instance) {
			this.ledger = ledger;
			this.instance = instance;
		}

		@JobHandler(queue = "${test.queue}", concurrency = 8)
		void handle(Item item, JobContext context) {
			this.ledger.ran(this.instance, context.id());
		}

	}

	@Test
	void twentyThousandJobsThroughThreeInstancesEachRunExactlyOnce() {
		String queue = "scale-" + UUID.randomUUID();
		Ledger ledger = new Ledger();
		RedisDeployment redis = SharedRedis.standalone();
		instance(redis, queue, ledger, "a").run((a) -> instance(redis, queue, ledger, "b")
			.run((b) -> instance(redis, queue, ledger, "c").run((c) -> {
				List<AssertableApplicationContext> instances = List.of(a, b, c);
				instances.forEach((context) -> assertThat(context).hasNotFailed());
				List<String> ids = enqueue(a.getBean(JobQueue.class), queue, JOBS, 500);

				awaitDrained(a.getBean(JobQueue.class), queue, ledger, JOBS, Duration.ofSeconds(40));
				assertExactlyOnce(ledger, ids);
				assertThat(ledger.startedBy.keySet()).as("each instance took a share").containsExactlyInAnyOrder("a", "b", "c");
			})));
	}

	@Test
	void twentyThousandJobsAllCompleteWhenAnInstanceIsCutOffMidRunAndOnlyItsJobsRunTwice() {
		String queue = "scale-" + UUID.randomUUID();
		Ledger ledger = new Ledger();
		RedisServer redis = SharedRedis.standalone();
		try (FaultProxy proxy = FaultProxy.inFrontOf(redis)) {
			instance(redis, queue, ledger, "a").run((a) -> instance(redis, queue, ledger, "b").run((b) -> {
				JobQueue jobs = a.getBean(JobQueue.class);
				List<String> ids = new ArrayList<>();
				// c reaches Redis only through the proxy; its close gets a short shutdown wait, as nothing it
				// tries to write then arrives anyway.
				instance(redis, queue, ledger, "c")
					.withPropertyValues("spring.data.redis.url=" + proxy.url(), "redis.starter.queue.shutdown-wait=300ms")
					.run((c) -> {
						assertThat(c).hasNotFailed();
						Thread enqueueing = new Thread(() -> ids.addAll(enqueue(jobs, queue, JOBS, 500)));
						enqueueing.start();
						await().atMost(Duration.ofSeconds(30))
							.until(() -> ledger.invocations.get() >= JOBS / 4 && ledger.startedBy("c").size() >= 200);
						// The crash: c's connections stay open and nothing answers, so its renewals, outcomes and
						// releases never arrive; its leases are left to expire.
						proxy.set(Fault.BLACK_HOLE);
						enqueueing.join();
						c.close();
					});
				assertThat(ids).hasSize(JOBS);
				proxy.set(Fault.RESET);
				Set<String> heldByC = ledger.startedBy("c");

				awaitDrained(jobs, queue, ledger, JOBS, Duration.ofSeconds(40));
				assertThat(ledger.runs.keySet()).as("none lost").containsExactlyInAnyOrderElementsOf(ids);
				List<String> twice = ledger.runs.entrySet()
					.stream()
					.filter((entry) -> entry.getValue().get() > 1)
					.map(Map.Entry::getKey)
					.toList();
				assertThat(twice).as("only jobs the cut-off instance started run again").isSubsetOf(heldByC);
				assertThat(ledger.runs.values()).as("and those at most twice").allMatch((count) -> count.get() <= 2);
				// Stalled: started and running when cut off; reclaimed: taken ahead, or finished with the completion lost
				// (their start mark is sent with the outcome's pass, so none arrived).
				assertThat(counted(a, "stalled") + counted(b, "stalled") + counted(a, "reclaimed") + counted(b, "reclaimed"))
					.as("the cut-off instance's leases expired and its jobs were taken back")
					.isPositive();
				assertThat(ledger.startedBy("a").size() + ledger.startedBy("b").size())
					.as("a and b ran everything c did not finish").isGreaterThanOrEqualTo(JOBS - heldByC.size());
			}));
		}
	}

	/** An instance with one worker of {@code concurrency = 8}; short leases so that a lost instance costs little. */
	static ApplicationContextRunner instance(RedisDeployment redis, String queue, Ledger ledger, String name) {
		return QueueContexts.runner(redis)
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.defaults.lease=1s",
					"redis.starter.queue.defaults.stalled-interval=300ms")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(Worker.class, () -> new Worker(ledger, name));
	}

	/** Enqueues {@code count} jobs in batches; returns their ids. */
	static List<String> enqueue(JobQueue jobs, String queue, int count, int batch) {
		List<String> ids = new ArrayList<>(count);
		for (int from = 0; from < count; from += batch) {
			List<Item> items = IntStream.range(from, Math.min(count, from + batch)).mapToObj(Item::new).toList();
			ids.addAll(jobs.enqueueAll(queue, items, JobOptions.defaults()));
		}
		assertThat(Set.copyOf(ids)).as("distinct ids").hasSize(count);
		return ids;
	}

	/** Waits until every job ran and the queue holds nothing waiting, delayed or active. */
	static void awaitDrained(JobQueue jobs, String queue, Ledger ledger, int count, Duration within) {
		await().atMost(within).until(() -> ledger.runs.size() == count);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			QueueCounts counts = jobs.counts(queue);
			assertThat(counts.waiting()).as("waiting").isZero();
			assertThat(counts.delayed()).as("delayed").isZero();
			assertThat(counts.active()).as("active").isZero();
			assertThat(counts.dead()).as("dead").isZero();
		});
	}

	static void assertExactlyOnce(Ledger ledger, List<String> ids) {
		assertThat(ledger.runs.keySet()).as("none lost").containsExactlyInAnyOrderElementsOf(ids);
		List<Map.Entry<String, AtomicInteger>> again = ledger.runs.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().get() != 1)
			.toList();
		assertThat(again).as("no job runs twice without a failure").isEmpty();
		assertThat(ledger.invocations.get()).isEqualTo(ids.size());
	}

	private static double counted(AssertableApplicationContext context, String what) {
		Counter counter = context.getBean(MeterRegistry.class).find("redis.starter.queue." + what).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
