package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every job handling observation that starts also stops, whatever the handler threw. */
@RealRedis
class JobObservationStopTests {

	record Task(String name) {
	}

	/** An exception whose message cannot be read (a buggy or hostile exception type of the application). */
	static final class Unprintable extends RuntimeException {

		@Override
		public String getMessage() {
			throw new IllegalStateException("no message");
		}

	}

	static class Tasks {

		final AtomicInteger calls = new AtomicInteger();

		@JobHandler(queue = "${test.queue}")
		void run(Task task) {
			this.calls.incrementAndGet();
			throw new Unprintable();
		}

	}

	@Test
	void everyStartedJobObservationIsStoppedEvenWhenTheFailureCannotBePrinted() {
		String queue = "obs-stop-" + UUID.randomUUID();
		AtomicInteger started = new AtomicInteger();
		AtomicInteger stopped = new AtomicInteger();
		ObservationRegistry observations = ObservationRegistry.create();
		observations.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
			@Override
			public void onStart(Observation.Context context) {
				if (context.getName().equals("redis.starter.queue.handle")) {
					started.incrementAndGet();
				}
			}

			@Override
			public void onStop(Observation.Context context) {
				if (context.getName().equals("redis.starter.queue.handle")) {
					stopped.incrementAndGet();
				}
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}
		});
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue)
			.withBean(ObservationRegistry.class, () -> observations)
			.withBean(Tasks.class)
			.run((context) -> {
				context.getBean(JobQueue.class).enqueue(queue, new Task("x"), JobOptions.defaults().withAttempts(1));
				await().atMost(Duration.ofSeconds(10)).until(() -> started.get() >= 1);
				Thread.sleep(1000);
				assertThat(stopped.get()).as("observations stopped of %s started", started.get())
					.isEqualTo(started.get());
			});
	}

}
