package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A context closed while its handlers run: handlers that finish within {@code shutdown-wait} are acknowledged,
 * the others (and entries read ahead but not started) are not, and another instance handles them after
 * {@code claim-idle}.
 */
class StreamShutdownTests {

	private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(1);

	record Job(String name, boolean slow) {
	}

	/** Which instance started and completed which entry (completed: the handler returned). */
	static final class Journal {

		final Map<String, Set<String>> started = new ConcurrentHashMap<>();

		final Map<String, Set<String>> completed = new ConcurrentHashMap<>();

		final Map<String, Long> deliveries = new ConcurrentHashMap<>();

		void started(String instance, String id) {
			this.started.computeIfAbsent(instance, (name) -> ConcurrentHashMap.newKeySet()).add(id);
		}

		void completed(String instance, String id) {
			this.completed.computeIfAbsent(instance, (name) -> ConcurrentHashMap.newKeySet()).add(id);
		}

		Set<String> started(String instance) {
			return Set.copyOf(this.started.getOrDefault(instance, Set.of()));
		}

		Set<String> completed(String instance) {
			return Set.copyOf(this.completed.getOrDefault(instance, Set.of()));
		}

	}

	/** The instance being shut down: slow jobs outlast the shutdown wait, quick ones finish once it starts. */
	static class Closing {

		final Journal journal;

		final CountDownLatch shutdownBegins = new CountDownLatch(1);

		Closing(Journal journal) {
			this.journal = journal;
		}

		@StreamListener(stream = "${test.stream}", group = "work", concurrency = 4)
		void handle(Job job, StreamDelivery delivery) throws InterruptedException {
			String id = delivery.id().getValue();
			this.journal.started("closing", id);
			if (job.slow()) {
				Thread.sleep(30_000);
			}
			else {
				this.shutdownBegins.await(30, TimeUnit.SECONDS);
				Thread.sleep(300);
			}
			this.journal.completed("closing", id);
		}

	}

	/** The instance that takes over: handles everything at once. */
	static class Successor {

		final Journal journal;

		Successor(Journal journal) {
			this.journal = journal;
		}

		@StreamListener(stream = "${test.stream}", group = "work", concurrency = 4)
		void handle(Job job, StreamDelivery delivery) {
			String id = delivery.id().getValue();
			this.journal.started("successor", id);
			this.journal.deliveries.put(id, delivery.deliveries());
			this.journal.completed("successor", id);
		}

	}

	/** Fails an entry's first delivery, and outlasts the shutdown wait on its second (its last). */
	static class FailsThenHangs {

		final CountDownLatch lastDeliveryStarted = new CountDownLatch(1);

		@StreamListener(stream = "${test.stream}", group = "work")
		void handle(Job job, StreamDelivery delivery) throws InterruptedException {
			if (delivery.deliveries() == 1) {
				throw new IllegalStateException("first delivery fails");
			}
			this.lastDeliveryStarted.countDown();
			Thread.sleep(30_000);
		}

	}

	/**
	 * A part of the application that takes a while to stop after the listeners (a web server finishing its
	 * requests): the starter's connection stays usable meanwhile.
	 */
	static class SlowToStop implements SmartLifecycle {

		private volatile boolean running;

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return 1000;
		}

	}

	@Test
	void closingWithHandlersRunningAcknowledgesOnlyWhatCompletedAndAnotherInstanceHandlesTheRest() {
		String stream = "jobs-" + UUID.randomUUID();
		Journal journal = new Journal();
		Closing closing = new Closing(journal);
		List<String> ids = new ArrayList<>();
		runner(stream).withPropertyValues("redis.starter.stream.shutdown-wait=" + SHUTDOWN_WAIT.toMillis() + "ms")
			.withBean(Closing.class, () -> closing)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				// Four run at once (two of each kind first), four more are read ahead, the rest wait in the stream.
				for (int i = 0; i < 12; i++) {
					ids.add(publisher.add(stream, new Job("job-" + i, i % 2 == 1)).getValue());
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> journal.started("closing").size() == 4);
				closing.shutdownBegins.countDown();
				long start = System.nanoTime();
				context.close();
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				assertThat(took).as("waited for the handlers, no longer than the shutdown wait")
					.isBetween(SHUTDOWN_WAIT.minusMillis(200), SHUTDOWN_WAIT.plusSeconds(2));
			});
		Set<String> completedFirst = journal.completed("closing");
		Set<String> abandoned = new HashSet<>(journal.started("closing"));
		abandoned.removeAll(completedFirst);
		assertThat(completedFirst).as("quick handlers finished within the shutdown wait").isNotEmpty();
		assertThat(abandoned).as("slow handlers outlasted it").isNotEmpty();

		// What Redis holds once the instance is gone, seen from a context without listeners.
		runner(stream).run((context) -> {
			String lastDelivered = StreamState.lastDeliveredId(context, stream, "work");
			Set<String> pending = StreamState.pendingIds(context, stream, "work");
			Set<String> acknowledged = new HashSet<>();
			for (String id : ids) {
				if (StreamIds.compare(id, lastDelivered) <= 0 && !pending.contains(id)) {
					acknowledged.add(id);
				}
			}
			assertThat(acknowledged).as("acknowledged exactly what completed").isEqualTo(completedFirst);
			assertThat(pending).as("the abandoned entries stay pending").containsAll(abandoned);
		});

		long start = System.nanoTime();
		runner(stream).withPropertyValues("redis.starter.stream.defaults.claim-idle=1s")
			.withBean(Successor.class, () -> new Successor(journal))
			.run((context) -> {
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					Set<String> handled = new HashSet<>(journal.completed("closing"));
					handled.addAll(journal.completed("successor"));
					assertThat(handled).containsExactlyInAnyOrderElementsOf(ids);
				});
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within claim-idle plus the claim interval")
					.isLessThan(Duration.ofSeconds(5));
				assertThat(journal.completed("successor")).as("nothing completed is handled twice")
					.doesNotContainAnyElementsOf(completedFirst);
				assertThat(abandoned).allSatisfy((id) -> assertThat(journal.deliveries.get(id))
					.as("delivered again, counted").isGreaterThanOrEqualTo(2L));
				await().atMost(Duration.ofSeconds(5))
					.until(() -> StreamState.pendingIds(context, stream, "work").isEmpty());
			});
	}

	@Test
	void anEntryInterruptedByShutdownOnItsLastDeliveryStaysPendingInsteadOfBeingDeadLettered() {
		String stream = "jobs-" + UUID.randomUUID();
		FailsThenHangs handler = new FailsThenHangs();
		String[] id = new String[1];
		runner(stream)
			.withPropertyValues("redis.starter.stream.shutdown-wait=300ms",
					"redis.starter.stream.defaults.max-deliveries=2")
			.withBean(FailsThenHangs.class, () -> handler)
			.withBean(SlowToStop.class)
			.run((context) -> {
				id[0] = context.getBean(StreamPublisher.class).add(stream, new Job("last", true)).getValue();
				assertThat(handler.lastDeliveryStarted.await(10, TimeUnit.SECONDS)).isTrue();
				context.close();
			});
		runner(stream).run((context) -> {
			assertThat(context.getBean(DeadLetters.class).count(stream)).as("not failed by its handler: not dead").isZero();
			assertThat(StreamState.pendingIds(context, stream, "work")).as("left for another consumer").containsExactly(id[0]);
		});
	}

	private static ApplicationContextRunner runner(String stream) {
		return StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("spring.application.name=shutdown", "test.stream=" + stream);
	}

}
