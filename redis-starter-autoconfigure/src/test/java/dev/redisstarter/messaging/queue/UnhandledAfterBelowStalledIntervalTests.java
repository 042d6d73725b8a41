package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;


import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers check in at each stalled check: with a queue's stalled-interval above unhandled-after, a queue served by
 * a live worker would be reported unhandled again and again (a WARN every cycle), so start-up refuses the
 * combination, naming the property and the queue.
 */
@RealRedis
class UnhandledAfterBelowStalledIntervalTests {

	record Order(int number) {
	}

	static class HoldingHandler {

		final CountDownLatch release = new CountDownLatch(1);

		@JobHandler(queue = "${test.queue}", concurrency = 1)
		void handle(Order order) throws InterruptedException {
			this.release.await(10, TimeUnit.SECONDS);
		}

	}

	@Test
	void anUnhandledAfterNotAboveAQueuesStalledIntervalIsRefusedAtStartUp() {
		String queue = "served-" + UUID.randomUUID();
		QueueContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.queue=" + queue, "redis.starter.queue.unhandled-after=1s",
					"redis.starter.queue.named." + queue + ".stalled-interval=2s",
					"redis.starter.queue.defaults.prefetch=0")
			.withBean(HoldingHandler.class)
			.run((context) -> {
				// Workers check in at each stalled check: a live worker would be reported unhandled between two.
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("redis.starter.queue.unhandled-after")
					.hasStackTraceContaining(queue);
			});
	}

}
