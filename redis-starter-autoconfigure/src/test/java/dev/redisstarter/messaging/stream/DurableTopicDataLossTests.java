package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A durable topic whose Redis lost its data (restarted without persistence, FLUSHALL) while the instance ran: the
 * instance creates its group again where it stood, so that entries producers added before it reconnected are
 * delivered, and reports the loss as a gap. Each test runs its own server (a FLUSHALL on the shared one would wipe
 * other tests' keys).
 */
@ExtendWith(OutputCaptureExtension.class)
class DurableTopicDataLossTests {

	record Price(String sku, int cents) {
	}

	static class Prices {

		final StreamContexts.Received<Integer> received = new StreamContexts.Received<>();

		@StreamListener(stream = "${test.stream}", group = "pricing", broadcast = true)
		void price(Price price) {
			this.received.add(price.cents());
		}

	}

	@Test
	void entriesAddedAfterRedisRestartedEmptyAndBeforeTheInstanceReconnectedAreDeliveredAndCountedAsOneGap(
			CapturedOutput output) throws InterruptedException {
		String stream = "prices-" + UUID.randomUUID();
		Prices prices = new Prices();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			instance(server, stream, prices, meters).run((context) -> {
				String key = awaitReadingThenAdd(context, server, stream, prices);

				server.stop();
				// Long enough for the reader's reconnect back-off to grow past a second.
				Thread.sleep(2000);
				server.start();
				// At once, before the reader's next attempt: the old code created the group at '$' after these.
				addDirectly(server, key, 5, 10);

				await().atMost(Duration.ofSeconds(15)).until(() -> prices.received.size() >= 10);
				assertThat(prices.received.snapshot()).as("every entry, in order").isEqualTo(range(0, 10));
				assertThat(gaps(meters, stream)).as("the loss is reported once").isEqualTo(1);
				assertThat(output).contains("Durable topic '" + stream + "': group pricing:a was gone from Redis");
			});
		}
	}

	@Test
	void entriesAddedAfterAFlushallAndBeforeTheInstanceNoticedAreDeliveredAndCountedAsOneGap(CapturedOutput output) {
		String stream = "prices-" + UUID.randomUUID();
		Prices prices = new Prices();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			instance(server, stream, prices, meters).run((context) -> {
				String key = awaitReadingThenAdd(context, server, stream, prices);

				server.command("FLUSHALL");
				addDirectly(server, key, 5, 10);

				await().atMost(Duration.ofSeconds(10)).until(() -> prices.received.size() >= 10);
				assertThat(prices.received.snapshot()).as("every entry, in order").isEqualTo(range(0, 10));
				assertThat(gaps(meters, stream)).as("the loss is reported once").isEqualTo(1);
				assertThat(output).contains("group pricing:a was gone from Redis");
				// And it goes on from there.
				addDirectly(server, key, 10, 12);
				await().atMost(Duration.ofSeconds(10)).until(() -> prices.received.size() >= 12);
				assertThat(prices.received.snapshot()).isEqualTo(range(0, 12));
			});
		}
	}

	@Test
	void entriesOfAStreamRecreatedWithLowerIdsThanTheInstanceHadReadAreDeliveredAfterTheGroupWasLost(CapturedOutput output) {
		String stream = "prices-" + UUID.randomUUID();
		Prices prices = new Prices();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			instance(server, stream, prices, meters).run((context) -> {
				String key = awaitReadingThenAdd(context, server, stream, prices);

				// The stream comes back with ids below those read before (a producer with explicit ids, or a server
				// clock that went back): the group must not be created past them.
				server.command("FLUSHALL");
				for (int cents = 5; cents < 10; cents++) {
					server.command("XADD", key, "1-" + cents, "payload", "{\"sku\":\"sku-1\",\"cents\":" + cents + "}");
				}

				await().atMost(Duration.ofSeconds(10)).until(() -> prices.received.size() >= 10);
				assertThat(prices.received.snapshot()).as("every entry, in order").isEqualTo(range(0, 10));
				assertThat(gaps(meters, stream)).as("the loss is reported once").isEqualTo(1);
				assertThat(output).contains("group pricing:a was gone from Redis");

				// Lost a second time in a row, and back with lower ids still.
				await().atMost(Duration.ofSeconds(5)).until(() -> StreamState.pendingIds(context, stream, "pricing:a").isEmpty());
				server.command("FLUSHALL");
				for (int cents = 10; cents < 13; cents++) {
					server.command("XADD", key, "0-" + cents, "payload", "{\"sku\":\"sku-1\",\"cents\":" + cents + "}");
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> prices.received.size() >= 13);
				assertThat(prices.received.snapshot()).as("every entry, in order").isEqualTo(range(0, 13));
				assertThat(gaps(meters, stream)).as("each loss is reported once").isEqualTo(2);
			});
		}
	}

	private static String awaitReadingThenAdd(AssertableApplicationContext context, LocalRedisServer server,
			String stream, Prices prices) {
		await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(StreamListeners.class).allReading());
		String key = context.getBean(StreamKeys.class).stream(stream);
		addDirectly(server, key, 0, 5);
		await().atMost(Duration.ofSeconds(10)).until(() -> prices.received.size() == 5);
		await().atMost(Duration.ofSeconds(5)).until(() -> StreamState.pendingIds(context, stream, "pricing:a").isEmpty());
		return key;
	}

	/** Adds entries on a connection of the test's own, as a producer in another process would. */
	private static void addDirectly(LocalRedisServer server, String key, int from, int to) {
		for (int cents = from; cents < to; cents++) {
			server.command("XADD", key, "*", "payload", "{\"sku\":\"sku-1\",\"cents\":" + cents + "}");
		}
	}

	private static ApplicationContextRunner instance(LocalRedisServer server, String stream, Prices prices,
			MeterRegistry meters) {
		return StreamContexts.runner(server)
			.withPropertyValues("spring.application.name=topics", "test.stream=" + stream,
					"redis.starter.stream.instance-id=a", "redis.starter.resilience.liveness-timeout=500ms",
					"redis.starter.resilience.open-duration=300ms")
			.withBean(Prices.class, () -> prices)
			.withBean(MeterRegistry.class, () -> meters);
	}

	private static List<Integer> range(int from, int to) {
		return IntStream.range(from, to).boxed().toList();
	}

	private static double gaps(MeterRegistry registry, String stream) {
		Counter counter = registry.find("redis.starter.stream.gaps").tags("stream", stream, "group", "pricing:a").counter();
		return (counter != null) ? counter.count() : 0;
	}

}
