package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The read-ahead bound, {@code 2 × max(read-count, concurrency)} entries per consumer, holds for every entry the
 * consumer holds: entries waiting for a retry count, and entries read but waiting for a handler slot are renewed.
 */
@RealRedis
class StreamReadAheadTests {

	/** The Redis the tests run on; a Cluster in the subclass. */
	RedisDeployment redis() {
		return SharedRedis.standalone();
	}

	record Order(String item) {
	}

	static class Failing {

		final AtomicInteger failures = new AtomicInteger();

		@StreamListener(stream = "${test.stream}", group = "billing", concurrency = 4)
		void order(Order order) {
			this.failures.incrementAndGet();
			throw new IllegalStateException("refused");
		}

	}

	@Test
	void entriesWaitingForARetryCountAgainstTheReadAheadBound() {
		String stream = "orders-" + UUID.randomUUID();
		Failing failing = new Failing();
		StreamContexts.runner(redis())
			.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.read-count=10",
					"redis.starter.stream.defaults.max-deliveries=100",
					"redis.starter.stream.defaults.backoff.initial=10s",
					"redis.starter.stream.defaults.backoff.max=10s",
					"redis.starter.stream.defaults.circuit.failure-threshold=0")
			.withBean(Failing.class, () -> failing)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				for (int i = 0; i < 200; i++) {
					publisher.add(stream, new Order("item-" + i));
				}
				await().atMost(Duration.ofSeconds(5)).until(() -> failing.failures.get() >= 20);
				// Time for the reader to read more, as it did before: every failure freed its slot for a new entry.
				Thread.sleep(1500);
				assertThat(StreamState.pendingIds(context, stream, "billing")).as("2 × max(read-count 10, concurrency 4)")
					.hasSizeLessThanOrEqualTo(20);
				assertThat(failing.failures.get()).isLessThanOrEqualTo(20);
			});
	}

	static class Slow {

		final AtomicInteger handled = new AtomicInteger();

		final CountDownLatch release = new CountDownLatch(1);

		@StreamListener(stream = "${test.stream}", group = "billing", concurrency = 1)
		void order(Order order) throws InterruptedException {
			if (this.handled.get() == 0) {
				this.release.await(10, TimeUnit.SECONDS);
			}
			this.handled.incrementAndGet();
		}

	}

	@Test
	void entriesReadButWaitingForAHandlerSlotAreRenewedSoNoOtherConsumerTakesThem() {
		String stream = "orders-" + UUID.randomUUID();
		Slow slow = new Slow();
		StreamResilienceTests.Orders other = new StreamResilienceTests.Orders();
		StreamContexts.runner(redis())
			.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.claim-idle=1s",
					"redis.starter.stream.defaults.claim-interval=200ms")
			.withBean(Slow.class, () -> slow)
			.run((first) -> {
				StreamPublisher publisher = first.getBean(StreamPublisher.class);
				for (int i = 0; i < 10; i++) {
					publisher.add(stream, new StreamResilienceTests.Order("item-" + i));
				}
				// One slot, held by the first entry; the nine others are read ahead and wait for it.
				await().atMost(Duration.ofSeconds(5))
					.until(() -> StreamState.pendingIds(first, stream, "billing").size() == 10);
				StreamContexts.runner(redis())
					.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.claim-idle=1s",
							"redis.starter.stream.defaults.claim-interval=200ms")
					.withBean(StreamResilienceTests.Orders.class, () -> other)
					.run((second) -> {
						// Three times claim-idle: the waiting entries would have been claimed had they not been renewed.
						Thread.sleep(3000);
						assertThat(other.handled).as("nothing taken from a live consumer").isEmpty();
						slow.release.countDown();
						await().atMost(Duration.ofSeconds(5)).until(() -> slow.handled.get() == 10);
						assertThat(other.handled).isEmpty();
					});
			});
	}

}
