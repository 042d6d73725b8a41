package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Acknowledgements that fail (as on a shared connection still reconnecting after a Redis restart while the reader
 * already reads) are kept, renewed and tried again: the entries are not handled a second time after claim-idle.
 */
class StreamAcknowledgementTests {

	record Order(String item) {
	}

	static class Orders {

		final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

		@StreamListener(stream = "${test.stream}", group = "billing", concurrency = 2)
		void order(Order order) {
			this.handled.computeIfAbsent(order.item(), (item) -> new AtomicInteger()).incrementAndGet();
		}

	}

	@Test
	void entriesWhoseAcknowledgementFailedAreAcknowledgedLaterAndNotHandledTwice() {
		String stream = "orders-" + UUID.randomUUID();
		Orders orders = new Orders();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			StreamContexts.runner(server)
				.withPropertyValues("test.stream=" + stream,
						"redis.starter.stream.defaults.claim-idle=2s",
						"redis.starter.stream.defaults.claim-interval=500ms")
				.withBean(Orders.class, () -> orders)
				.run((context) -> {
					StreamPublisher publisher = context.getBean(StreamPublisher.class);
					await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(StreamListeners.class).allReading());
					// Every XACK is refused from now on; reads, claims and adds still work.
					server.command("ACL", "SETUSER", "default", "-xack");
					try {
						for (int i = 0; i < 5; i++) {
							publisher.add(stream, new Order("item-" + i));
						}
						await().atMost(Duration.ofSeconds(5)).until(() -> orders.handled.size() == 5);
						// Past claim-idle and several claim intervals: before, the consumer claimed its own
						// unacknowledged entries back and handled them again.
						Thread.sleep(3500);
						assertThat(StreamState.pendingIds(context, stream, "billing")).hasSize(5);
					}
					finally {
						server.command("ACL", "SETUSER", "default", "+xack");
					}
					await().atMost(Duration.ofSeconds(5))
						.until(() -> StreamState.pendingIds(context, stream, "billing").isEmpty());
					assertThat(orders.handled).hasSize(5);
					assertThat(orders.handled.values()).as("each handled once").allMatch((count) -> count.get() == 1);
				});
		}
	}

}
