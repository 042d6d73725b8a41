package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.redisstarter.messaging.queue.actuate.JobQueuesEndpoint;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An outage is not a failure of the jobs (issue 21, item 2 for the job queue): a handler that fails on every job for
 * longer than the whole retry schedule opens its circuit, and nothing is dead-lettered while it is open; once the
 * downstream is back every job completes.
 */
@RealRedis
class JobHandlerCircuitTests {

	record Order(int number) {
	}

	/** Calls a downstream that is down until the test brings it back. */
	static class Handler {

		final AtomicBoolean downstreamUp = new AtomicBoolean();

		final QueueContexts.Received<Integer> done = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}", concurrency = 4)
		void handle(Order order) {
			if (!this.downstreamUp.get()) {
				throw new IllegalStateException("connection refused: the downstream is down");
			}
			this.done.add(order.number());
		}

	}

	@Test
	@SuppressWarnings("unchecked")
	void anOutageLongerThanTheRetryScheduleDeadLettersNothingWhileTheCircuitIsOpenAndEveryJobCompletesAfterIt() {
		String queue = "circuit-" + UUID.randomUUID();
		QueueContexts.runner(SharedRedis.standalone())
			// 3 attempts 50 ms and 100 ms apart: the whole retry schedule is about 150 ms.
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.named." + queue + ".attempts=3",
					"redis.starter.queue.named." + queue + ".circuit.failure-threshold=3",
					"redis.starter.queue.named." + queue + ".circuit.pause=200ms",
					"redis.starter.queue.named." + queue + ".circuit.max-pause=400ms",
					"management.endpoints.web.exposure.include=jobqueues")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(Handler.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				Handler handler = context.getBean(Handler.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				List<String> ids = jobs.enqueueAll(queue, IntStream.range(0, 20).mapToObj(Order::new).toList(),
						JobOptions.defaults());

				await().atMost(Duration.ofSeconds(5))
					.until(() -> meters.get("redis.starter.queue.circuit.open").tag("queue", queue).gauge().value() == 1);
				// Twenty times the retry schedule.
				long outageEnds = System.nanoTime() + Duration.ofSeconds(3).toNanos();
				while (System.nanoTime() < outageEnds) {
					assertThat(jobs.counts(queue).dead()).as("dead letters during the outage").isZero();
					Thread.sleep(100);
				}
				assertThat(meters.get("redis.starter.queue.failed").tag("queue", queue).counter().count())
					.as("failures during the outage (the probes included)").isGreaterThanOrEqualTo(3);
				assertThat(meters.get("redis.starter.queue.circuit.openings").tag("queue", queue).functionCounter().count())
					.isGreaterThanOrEqualTo(1);
				List<JobWorkers.WorkerState> workers = context.getBean(JobQueuesEndpoint.class).queue(queue).workers();
				assertThat(workers).singleElement().satisfies((worker) -> {
					assertThat(worker.circuit()).isIn("open", "probing");
					assertThat(worker.circuitError()).contains("the downstream is down");
				});

				handler.downstreamUp.set(true);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> ids.stream()
						.allMatch((id) -> jobs.job(queue, id).map(JobInfo::state).orElse(null) == JobState.COMPLETED));
				assertThat(jobs.counts(queue).dead()).isZero();
				assertThat(handler.done.snapshot()).hasSize(20).doesNotHaveDuplicates();
				assertThat(context.getBean(JobWorkers.class).states().get(0).circuit()).isEqualTo("closed");
			});
	}

	@Test
	void failuresWhileTheCircuitIsOpenDoNotSpendTheJobsAttempts() {
		String queue = "circuit-" + UUID.randomUUID();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.named." + queue + ".attempts=2",
					"redis.starter.queue.named." + queue + ".backoff.initial=20ms",
					"redis.starter.queue.named." + queue + ".circuit.failure-threshold=2",
					"redis.starter.queue.named." + queue + ".circuit.pause=100ms",
					"redis.starter.queue.named." + queue + ".circuit.max-pause=100ms")
			.withBean(Handler.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				Handler handler = context.getBean(Handler.class);
				List<String> ids = jobs.enqueueAll(queue, List.of(new Order(1), new Order(2)), JobOptions.defaults());
				// About twenty probes, taking turns between the two jobs.
				Thread.sleep(2000);
				assertThat(jobs.counts(queue).dead()).isZero();
				handler.downstreamUp.set(true);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> ids.stream()
						.allMatch((id) -> jobs.job(queue, id).map(JobInfo::state).orElse(null) == JobState.COMPLETED));
				assertThat(ids).allSatisfy((id) -> assertThat(jobs.job(queue, id).orElseThrow().attempts())
					.as("attempts of job %s after the outage", id)
					.isLessThanOrEqualTo(2));
			});
	}

	/** Fails on the first three orders whatever happens (poison jobs); its downstream works. */
	static class PoisonHandler {

		final QueueContexts.Received<Integer> done = new QueueContexts.Received<>();

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void handle(Order order) {
			if (order.number() < 3) {
				throw new IllegalArgumentException("order " + order.number() + " cannot be handled");
			}
			this.done.add(order.number());
		}

	}

	@Test
	void poisonJobsThatOpenTheCircuitDoNotKeepTheQueuePausedWhileTheDownstreamWorks() {
		String queue = "circuit-" + UUID.randomUUID();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.named." + queue + ".attempts=2",
					"redis.starter.queue.named." + queue + ".circuit.failure-threshold=3",
					"redis.starter.queue.named." + queue + ".circuit.pause=200ms",
					"redis.starter.queue.named." + queue + ".circuit.max-pause=400ms")
			.withBean(PoisonHandler.class)
			.run((context) -> {
				JobQueue jobs = context.getBean(JobQueue.class);
				PoisonHandler handler = context.getBean(PoisonHandler.class);
				// Three poison jobs first (they open the circuit), then five jobs the handler can do.
				List<String> ids = jobs.enqueueAll(queue, IntStream.range(0, 8).mapToObj(Order::new).toList(),
						JobOptions.defaults());

				// Each probe that takes a poison job fails; before the fix the probe was always a poison job (the
				// oldest, due again by the next probe), so the circuit never closed and nothing else ran.
				await().atMost(Duration.ofSeconds(8)).until(() -> handler.done.snapshot().size() == 5);
				assertThat(handler.done.snapshot()).containsExactlyInAnyOrder(3, 4, 5, 6, 7);
				// The poison jobs are kept: dead-lettered once their attempts are spent while the circuit is closed, or
				// still held (failing alone, they open it again, as an outage would, until another job closes it).
				assertThat(ids.subList(0, 3)).allSatisfy((id) -> assertThat(jobs.job(queue, id).map(JobInfo::state))
					.hasValueSatisfying((state) -> assertThat(state).isIn(JobState.DEAD, JobState.DELAYED,
							JobState.WAITING, JobState.ACTIVE)));
				// A job enqueued now still runs: it is the next probe, and its success closes the circuit.
				String late = jobs.enqueue(queue, new Order(8));
				await().atMost(Duration.ofSeconds(8))
					.until(() -> jobs.job(queue, late).map(JobInfo::state).orElse(null) == JobState.COMPLETED);
			});
	}

	@Test
	void aCircuitSettingOutOfRangeStopsStartUpNamingTheProperty() {
		String queue = "circuit-" + UUID.randomUUID();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.named." + queue + ".circuit.pause=10s",
					"redis.starter.queue.named." + queue + ".circuit.max-pause=1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis.starter.queue.named." + queue)
				.hasMessageContaining("circuit max-pause"));
	}

}
