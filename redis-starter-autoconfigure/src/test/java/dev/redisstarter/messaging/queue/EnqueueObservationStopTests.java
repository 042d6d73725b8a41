package dev.redisstarter.messaging.queue;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import dev.redisstarter.messaging.observation.RedisSendContext;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every enqueue observation that starts stops exactly once, with an error exactly when the call failed, on every path
 * of {@code enqueue}, {@code enqueueAll} and {@code enqueueAsync}: stored, bad input (too large), a payload the mapper
 * cannot write, and Redis down (they share one start since the EnqueueStart cleanup).
 */
class EnqueueObservationStopTests {

	record Task(int number) {
	}

	/** A payload the mapper cannot write: its accessor throws. */
	record Unwritable(int number) {

		@Override
		public int number() {
			throw new IllegalStateException("cannot be read");
		}

	}

	static final class Counts implements ObservationHandler<Observation.Context> {

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger stopped = new AtomicInteger();

		final AtomicInteger errors = new AtomicInteger();

		@Override
		public void onStart(Observation.Context context) {
			this.started.incrementAndGet();
		}

		@Override
		public void onError(Observation.Context context) {
			this.errors.incrementAndGet();
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.incrementAndGet();
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			// The name comes from the convention when the observation starts: the context type tells an enqueue.
			return context instanceof RedisSendContext;
		}

		void assertCounts(String what, int started, int errors) {
			assertThat(List.of(this.started.get(), this.stopped.get(), this.errors.get())).as(what + ": started, stopped, errors")
				.containsExactly(started, started, errors);
		}

	}

	@Test
	void everyEnqueueObservationStopsOnceWithItsErrorOnEveryPath() {
		String queue = "obs-enqueue-" + UUID.randomUUID();
		Counts counts = new Counts();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(counts);
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			QueueContexts.runner(server)
				.withPropertyValues("redis.starter.queue.max-payload-size=1KB", "redis.starter.resilience.open-duration=300ms")
				.withBean(ObservationRegistry.class, () -> observations)
				.run((context) -> {
					JobQueue jobs = context.getBean(JobQueue.class);
					jobs.enqueue(queue, new Task(1));
					jobs.enqueueAll(queue, List.of(new Task(2), new Task(3)), JobOptions.defaults());
					jobs.enqueueAsync(queue, new Task(4)).get(5, TimeUnit.SECONDS);
					counts.assertCounts("stored", 3, 0);

					String large = "x".repeat(2000);
					assertThat(catchThrowable(() -> jobs.enqueue(queue, large))).isNotNull();
					assertThat(catchThrowable(() -> jobs.enqueueAll(queue, List.of(large), JobOptions.defaults()))).isNotNull();
					assertThat(catchThrowable(() -> jobs.enqueueAsync(queue, large))).isNotNull();
					counts.assertCounts("too large", 6, 3);

					assertThat(catchThrowable(() -> jobs.enqueue(queue, new Unwritable(1)))).isNotNull();
					assertThat(catchThrowable(() -> jobs.enqueueAll(queue, List.of(new Unwritable(1)), JobOptions.defaults())))
						.isNotNull();
					assertThat(catchThrowable(() -> jobs.enqueueAsync(queue, new Unwritable(1)))).isNotNull();
					counts.assertCounts("not writable", 9, 6);

					server.stop();
					assertThatExceptionOfType(JobQueueUnavailableException.class)
						.isThrownBy(() -> jobs.enqueue(queue, new Task(5)));
					assertThatExceptionOfType(JobQueueUnavailableException.class)
						.isThrownBy(() -> jobs.enqueueAll(queue, List.of(new Task(6)), JobOptions.defaults()));
					CompletableFuture<String> async = jobs.enqueueAsync(queue, new Task(7));
					assertThat(catchThrowable(() -> async.get(5, TimeUnit.SECONDS))).isNotNull();
					counts.assertCounts("Redis down", 12, 9);
				});
		}
	}

}
