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
 * A completion Redis applied whose reply was lost (it came after the queue's timeout): the outcome writer tries it
 * again, and the job is counted completed once, neither never nor twice.
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
			if (task.name().equals("held")) {
				this.started.countDown();
				this.release.await(10, TimeUnit.SECONDS);
			}
		}

	}

	@Test
	void aCompletionAppliedWhoseReplyWasLostIsCountedOnce() throws Exception {
		String queue = "lost-reply-" + UUID.randomUUID();
		RedisServer redis = SharedRedis.standalone();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		Gate gate = new Gate();
		try (FaultProxy proxy = FaultProxy.inFrontOf(redis)) {
			QueueContexts.runner(redis)
				.withPropertyValues("test.queue=" + queue, "spring.data.redis.url=" + proxy.url(),
						"redis.starter.queue.timeout=300ms")
				.withBean(MeterRegistry.class, () -> meters)
				.withBean(Gate.class, () -> gate)
				.run((context) -> {
					JobQueue jobs = context.getBean(JobQueue.class);
					// A first job, so that complete.lua is in Redis's script cache (a NOSCRIPT reply would be late too).
					jobs.enqueue(queue, new Task("first"));
					await().atMost(Duration.ofSeconds(5)).until(() -> jobs.counts(queue).completed() == 1);
					jobs.enqueue(queue, new Task("held"));
					assertThat(gate.started.await(5, TimeUnit.SECONDS)).isTrue();
					// Its start mark written, so that the completion is the first command whose reply is late.
					Thread.sleep(300);
					// Requests still reach Redis at once; its replies come after the timeout.
					proxy.setLatency(Duration.ofMillis(800)).set(Fault.LATENCY);
					gate.release.countDown();
					// The completion is applied at once, its reply is late, and so are those of its retries.
					Thread.sleep(2000);
					try (var client = io.lettuce.core.RedisClient.create(redis.url()); var direct = client.connect()) {
						String base = context.getBean(QueueKeys.class).base(queue);
						assertThat(direct.sync().zcard(base + ":completed")).as("applied, its reply late").isEqualTo(2);
					}
					proxy.pass();
					await().atMost(Duration.ofSeconds(10))
						.until(() -> meters.get("redis.starter.queue.completed").tag("queue", queue).counter().count() >= 2);
					Thread.sleep(1500);
					assertThat(jobs.counts(queue).completed()).isEqualTo(2);
					assertThat(meters.get("redis.starter.queue.completed").tag("queue", queue).counter().count())
						.isEqualTo(2);
				});
		}
	}

}
