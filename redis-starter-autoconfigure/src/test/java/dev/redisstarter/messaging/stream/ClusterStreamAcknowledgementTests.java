package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.redisstarter.test.RedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link StreamAcknowledgementTests} on a three-master Cluster of the test's own (the ACL change that refuses
 * {@code XACK} would disturb other tests on the shared one): acknowledgements refused by the stream's node are
 * kept, renewed and tried again, and the entries are not handled a second time after claim-idle.
 */
class ClusterStreamAcknowledgementTests {

	@Test
	void entriesWhoseAcknowledgementFailedOnTheStreamsNodeAreAcknowledgedLaterAndNotHandledTwice() {
		String stream = "orders-" + UUID.randomUUID();
		StreamAcknowledgementTests.Orders orders = new StreamAcknowledgementTests.Orders();
		try (RedisCluster cluster = RedisCluster.threeMasters().start()) {
			StreamContexts.runner(cluster)
				.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.claim-idle=2s",
						"redis.starter.stream.defaults.claim-interval=500ms")
				.withBean(StreamAcknowledgementTests.Orders.class, () -> orders)
				.run((context) -> {
					StreamPublisher publisher = context.getBean(StreamPublisher.class);
					await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(StreamListeners.class).allReading());
					// Every XACK is refused from now on, on every node; reads, claims and adds still work.
					cluster.nodes().forEach((node) -> node.command("ACL", "SETUSER", "default", "-xack"));
					try {
						for (int i = 0; i < 5; i++) {
							publisher.add(stream, new StreamAcknowledgementTests.Order("item-" + i));
						}
						await().atMost(Duration.ofSeconds(5)).until(() -> orders.handled.size() == 5);
						// Past claim-idle and several claim intervals.
						Thread.sleep(3500);
						assertThat(StreamState.pendingIds(context, stream, "billing")).hasSize(5);
					}
					finally {
						cluster.nodes().forEach((node) -> node.command("ACL", "SETUSER", "default", "+xack"));
					}
					await().atMost(Duration.ofSeconds(5))
						.until(() -> StreamState.pendingIds(context, stream, "billing").isEmpty());
					assertThat(orders.handled).hasSize(5);
					assertThat(orders.handled.values()).as("each handled once").allMatch((count) -> count.get() == 1);
				});
		}
	}

}
