package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisServer;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A completion or a dead-lettering Redis applied whose reply was lost (it came after the queue's timeout): the outcome
 * writer tries it again, and the job is counted once, neither never nor twice.
 */
@RealRedis
class JobCompletionLostReplyTests {

	record Task(String name) {
	}

	static class Gate {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void run(Task task) throws InterruptedException {
			if (task.name().startsWith("held")) {
				this.started.countDown();
				this.release.await(10, TimeUnit.SECONDS);
			}
			if (task.name().endsWith("fails")) {
				throw new IllegalStateException(task.name());
			}
		}

	}

	@Test
	void aCompletionAppliedWhoseReplyWasLostIsCountedOnce() throws Exception {
		countedOnceAfterALostReply("completed", "");
	}

	@Test
	void aDeadLetteringAppliedWhoseReplyWasLostIsCountedOnce() throws Exception {
		countedOnceAfterALostReply("dead-lettered", " fails");
	}

	private void countedOnceAfterALostReply(String meter, String suffix) throws Exception {
		String queue = "lost-reply-" + UUID.randomUUID();
		RedisServer redis = SharedRedis.standalone();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		Gate gate = new Gate();
		JobOptions once = JobOptions.defaults().withAttempts(1);
		try (FaultProxy proxy = FaultProxy.inFrontOf(redis)) {
			QueueContexts.runner(redis)
				.withPropertyValues("test.queue=" + queue, "spring.data.redis.url=" + proxy.url(),
						"redis.starter.queue.timeout=300ms")
				.withBean(MeterRegistry.class, () -> meters)
				.withBean(Gate.class, () -> gate)
				.run((context) -> {
					JobQueue jobs = context.getBean(JobQueue.class);
					// A first job, so that the script is in Redis's script cache (a NOSCRIPT reply would be late too).
					jobs.enqueue(queue, new Task("first" + suffix), once);
					await().atMost(Duration.ofSeconds(5)).until(() -> count(meters, meter, queue) == 1);
					jobs.enqueue(queue, new Task("held" + suffix), once);
					assertThat(gate.started.await(5, TimeUnit.SECONDS)).isTrue();
					// Its start mark written, so that the outcome is the first command whose reply is late.
					Thread.sleep(300);
					// Requests still reach Redis at once; its replies come after the timeout.
					proxy.setLatency(Duration.ofMillis(800)).set(Fault.LATENCY);
					gate.release.countDown();
					// The outcome is applied at once, its reply is late, and so are those of its retries.
					Thread.sleep(2000);
					String index = suffix.isEmpty() ? ":completed" : ":dead";
					try (var client = io.lettuce.core.RedisClient.create(redis.url()); var direct = client.connect()) {
						String base = context.getBean(QueueKeys.class).base(queue);
						assertThat(direct.sync().zcard(base + index)).as("applied, its reply late").isEqualTo(2);
					}
					proxy.pass();
					await().atMost(Duration.ofSeconds(10)).until(() -> count(meters, meter, queue) >= 2);
					Thread.sleep(1500);
					assertThat(count(meters, meter, queue)).isEqualTo(2);
				});
		}
	}

	private static double count(SimpleMeterRegistry meters, String what, String queue) {
		return meters.get("redis.starter.queue." + what).tag("queue", queue).counter().count();
	}

}
