package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link DurableTopicDataLossTests} on a three-master Cluster: the stream's node loses the stream (deleted, as a
 * FLUSHALL there or a failover to an empty replica would lose it; a FLUSHALL of the shared Cluster would wipe other
 * tests' keys) while the instance runs; the instance creates its group again where it stood, so that entries added
 * before it noticed are delivered, and reports the loss as one gap.
 */
@RealRedis(Topology.CLUSTER)
@ExtendWith(OutputCaptureExtension.class)
class ClusterDurableTopicDataLossTests {

	@Test
	void entriesAddedAfterTheStreamsNodeLostItAndBeforeTheInstanceNoticedAreDeliveredAndCountedAsOneGap(
			CapturedOutput output) {
		RedisCluster cluster = SharedRedis.cluster();
		String stream = "prices-" + UUID.randomUUID();
		DurableTopicDataLossTests.Prices prices = new DurableTopicDataLossTests.Prices();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		instance(cluster, stream, prices, meters).run((context) -> {
			await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(StreamListeners.class).allReading());
			StreamKeys keys = context.getBean(StreamKeys.class);
			String key = keys.stream(stream);
			LocalRedisServer node = cluster.masterForSlot(SlotHash.getSlot(key));
			assertThat(node).as("the stream's master").isNotNull();
			addDirectly(node, key, 0, 5);
			await().atMost(Duration.ofSeconds(10)).until(() -> prices.received.size() == 5);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> StreamState.pendingIds(context, stream, "pricing:a").isEmpty());

			node.command("DEL", key, keys.instances(stream));
			addDirectly(node, key, 5, 10);

			await().atMost(Duration.ofSeconds(10)).until(() -> prices.received.size() >= 10);
			assertThat(prices.received.snapshot()).as("every entry, in order").isEqualTo(range(0, 10));
			assertThat(gaps(meters, stream)).as("the loss is reported once").isEqualTo(1);
			assertThat(output).contains("Durable topic '" + stream + "': group pricing:a was gone from Redis");
			addDirectly(node, key, 10, 12);
			await().atMost(Duration.ofSeconds(10)).until(() -> prices.received.size() >= 12);
			assertThat(prices.received.snapshot()).isEqualTo(range(0, 12));
		});
	}

	@Test
	void entriesOfAStreamTheNodeRecreatedWithLowerIdsThanTheInstanceHadReadAreDeliveredAfterTheGroupWasLost(
			CapturedOutput output) {
		RedisCluster cluster = SharedRedis.cluster();
		String stream = "prices-" + UUID.randomUUID();
		DurableTopicDataLossTests.Prices prices = new DurableTopicDataLossTests.Prices();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		instance(cluster, stream, prices, meters).run((context) -> {
			await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(StreamListeners.class).allReading());
			StreamKeys keys = context.getBean(StreamKeys.class);
			String key = keys.stream(stream);
			LocalRedisServer node = cluster.masterForSlot(SlotHash.getSlot(key));
			assertThat(node).as("the stream's master").isNotNull();
			addDirectly(node, key, 0, 5);
			await().atMost(Duration.ofSeconds(10)).until(() -> prices.received.size() == 5);

			// The stream comes back with ids below those read before: the group must not be created past them.
			node.command("DEL", key, keys.instances(stream));
			for (int cents = 5; cents < 10; cents++) {
				node.command("XADD", key, "1-" + cents, "payload", "{\"sku\":\"sku-1\",\"cents\":" + cents + "}");
			}

			await().atMost(Duration.ofSeconds(10)).until(() -> prices.received.size() >= 10);
			assertThat(prices.received.snapshot()).as("every entry, in order").isEqualTo(range(0, 10));
			assertThat(gaps(meters, stream)).as("the loss is reported once").isEqualTo(1);
			assertThat(output).contains("group pricing:a was gone from Redis");
		});
	}

	private static ApplicationContextRunner instance(RedisCluster cluster, String stream,
			DurableTopicDataLossTests.Prices prices, MeterRegistry meters) {
		return StreamContexts.runner(cluster)
			.withPropertyValues("spring.application.name=topics", "test.stream=" + stream,
					"redis.starter.stream.instance-id=a", "redis.starter.resilience.liveness-timeout=500ms",
					"redis.starter.resilience.open-duration=300ms")
			.withBean(DurableTopicDataLossTests.Prices.class, () -> prices)
			.withBean(MeterRegistry.class, () -> meters);
	}

	/** Adds entries on a connection of the test's own to the stream's node, as a producer in another process would. */
	private static void addDirectly(LocalRedisServer node, String key, int from, int to) {
		for (int cents = from; cents < to; cents++) {
			node.command("XADD", key, "*", "payload", "{\"sku\":\"sku-1\",\"cents\":" + cents + "}");
		}
	}

	private static List<Integer> range(int from, int to) {
		return IntStream.range(from, to).boxed().toList();
	}

	private static double gaps(MeterRegistry registry, String stream) {
		Counter counter = registry.find("redis.starter.stream.gaps").tags("stream", stream, "group", "pricing:a").counter();
		return (counter != null) ? counter.count() : 0;
	}

}
