package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An acknowledgement Redis applied whose reply was lost (the connection was cut while the reply was on its way):
 * the retry finds nothing pending, and the entry is counted acknowledged once.
 */
class StreamAcknowledgementLostReplyTests {

	record Order(String item) {
	}

	static class Gate {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@StreamListener(stream = "${test.stream}", group = "billing", concurrency = 1)
		void order(Order order) throws InterruptedException {
			if (order.item().equals("held")) {
				this.started.countDown();
				this.release.await(10, TimeUnit.SECONDS);
			}
		}

	}

	@Test
	void anAcknowledgementAppliedWhoseReplyWasLostIsCountedOnce() throws Exception {
		String stream = "orders-" + UUID.randomUUID();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		Gate gate = new Gate();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			StreamContexts.runner(server)
				.withPropertyValues("test.stream=" + stream, "spring.data.redis.url=" + proxy.url(),
						"redis.starter.stream.defaults.claim-idle=3s")
				.withBean(MeterRegistry.class, () -> meters)
				.withBean(Gate.class, () -> gate)
				.run((context) -> {
					StreamPublisher publisher = context.getBean(StreamPublisher.class);
					await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(StreamListeners.class).allReading());
					publisher.add(stream, new Order("first"));
					await().atMost(Duration.ofSeconds(5)).until(() -> acknowledged(meters) == 1);
					publisher.add(stream, new Order("held"));
					assertThat(gate.started.await(5, TimeUnit.SECONDS)).isTrue();
					// Requests reach Redis at once, replies are held; the connection is cut while the XACK's is held.
					proxy.setLatency(Duration.ofSeconds(2)).set(Fault.LATENCY);
					gate.release.countDown();
					String key = context.getBean(StreamKeys.class).stream(stream);
					try (var client = io.lettuce.core.RedisClient.create(server.url()); var direct = client.connect()) {
						await().atMost(Duration.ofSeconds(1))
							.until(() -> direct.sync().xpending(key, "billing").getCount() == 0);
					}
					proxy.set(Fault.RESET);
					proxy.pass();
					Thread.sleep(4000);
					assertThat(StreamState.pendingIds(context, stream, "billing")).isEmpty();
					assertThat(acknowledged(meters)).as("acknowledged, counted once").isEqualTo(2);
				});
		}
	}

	private static double acknowledged(SimpleMeterRegistry meters) {
		return meters.find("redis.starter.stream.acknowledged").counters().stream().mapToDouble((c) -> c.count()).sum();
	}

}
