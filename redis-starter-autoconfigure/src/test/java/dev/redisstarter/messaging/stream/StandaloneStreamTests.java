package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@RealRedis
@ExtendWith(OutputCaptureExtension.class)
class StandaloneStreamTests {

	record Order(String item, int quantity) {
	}

	static class Orders {

		final StreamContexts.Received<Order> handled = new StreamContexts.Received<>();

		final StreamContexts.Received<StreamDelivery> poisonDeliveries = new StreamContexts.Received<>();

		@StreamListener(stream = "${test.stream}", group = "billing", concurrency = 4)
		void order(Order order, StreamDelivery delivery) {
			if (order.item().equals("poison")) {
				this.poisonDeliveries.add(delivery);
				throw new IllegalStateException("cannot bill poison");
			}
			this.handled.add(order);
		}

	}

	static class Batches {

		final StreamContexts.Received<List<Order>> batches = new StreamContexts.Received<>();

		@StreamListener(stream = "${test.stream}", group = "audit", batch = true)
		void audit(List<Order> orders) {
			this.batches.add(orders);
		}

	}

	static class Stuck {

		final CountDownLatch started = new CountDownLatch(3);

		final CountDownLatch release = new CountDownLatch(1);

		@StreamListener(stream = "${test.stream}", group = "billing", concurrency = 3)
		void order(Order order) throws InterruptedException {
			this.started.countDown();
			this.release.await(30, TimeUnit.SECONDS);
		}

	}

	static class FirstBlocks {

		final CountDownLatch firstStarted = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final java.util.Set<String> handled = java.util.concurrent.ConcurrentHashMap.newKeySet();

		@StreamListener(stream = "${test.stream}", group = "billing", concurrency = 1)
		void order(Order order) throws InterruptedException {
			if (order.item().equals("p0") && this.firstStarted.getCount() > 0) {
				this.firstStarted.countDown();
				this.release.await(30, TimeUnit.SECONDS);
			}
			this.handled.add(order.item());
		}

	}

	private static String stream() {
		return "orders-" + UUID.randomUUID();
	}

	@Test
	void entriesAreHandledAndAcknowledgedAfterTheMethodReturns() {
		String stream = stream();
		StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.stream=" + stream, "spring.application.name=shop")
			.withBean(Orders.class)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				for (int i = 0; i < 100; i++) {
					publisher.add(stream, new Order("item-" + i, i));
				}
				Orders orders = context.getBean(Orders.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> orders.handled.size() == 100);
				await().atMost(Duration.ofSeconds(5)).until(() -> StreamContexts
					.pending(context.getBean(LettuceConnectionFactory.class), "shop:stream:{" + stream + "}", "billing") == 0);
				assertThat(orders.handled.snapshot()).extracting(Order::item)
					.containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100).mapToObj((i) -> "item-" + i).toList());
			});
	}

	@Test
	void aFailingEntryIsRetriedThenDeadLetteredAfterExactlyMaxDeliveriesAndReplayBringsItBack() {
		String stream = stream();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.max-deliveries=3")
			.withBean(Orders.class)
			.withBean(MeterRegistry.class, () -> meters)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				publisher.add(stream, new Order("poison", 1), Map.of("customer", "c-7"));
				for (int i = 0; i < 20; i++) {
					publisher.add(stream, new Order("fine-" + i, 1));
				}
				Orders orders = context.getBean(Orders.class);
				DeadLetters deadLetters = context.getBean(DeadLetters.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count(stream) == 1);
				assertThat(orders.handled.size()).as("the other entries kept flowing").isEqualTo(20);
				assertThat(orders.poisonDeliveries.snapshot()).extracting(StreamDelivery::deliveries).containsExactly(1L, 2L, 3L);
				DeadLetter letter = deadLetters.list(stream, 10).get(0);
				assertThat(letter.deliveries()).isEqualTo(3);
				assertThat(letter.error()).isEqualTo(IllegalStateException.class.getName());
				assertThat(letter.message()).contains("cannot bill poison");
				assertThat(letter.group()).isEqualTo("billing");
				assertThat(letter.fields()).containsEntry("customer", "c-7");
				assertThat(letter.payload()).contains("poison");
				assertThat(letter.failedAt()).isNotNull();
				assertThat(meters.get("redis.starter.stream.dead-lettered").counter().count()).isEqualTo(1);

				assertThat(deadLetters.replay(stream, letter.id())).isPresent();
				await().atMost(Duration.ofSeconds(10)).until(() -> orders.poisonDeliveries.size() == 6);
				await().atMost(Duration.ofSeconds(5)).until(() -> deadLetters.count(stream) == 1);
				assertThat(deadLetters.list(stream, 10).get(0).fields()).as("replayed with its fields")
					.containsEntry("customer", "c-7");
				assertThat(deadLetters.purge(stream)).isEqualTo(1);
				assertThat(deadLetters.count(stream)).isZero();
			});
	}

	@Test
	void aPayloadThatDoesNotParseGoesToTheDeadLettersAtOnceAndTheLogSaysAfterOneDelivery(CapturedOutput output) {
		String stream = stream();
		StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.stream=" + stream, "spring.application.name=shop")
			.withBean(Orders.class)
			.run((context) -> {
				try (var connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
					connection.streamCommands()
						.xAdd(StreamContexts.bytes("shop:stream:{" + stream + "}"),
								Map.of(StreamContexts.bytes("payload"), StreamContexts.bytes("{not json")));
				}
				DeadLetters deadLetters = context.getBean(DeadLetters.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count(stream) == 1);
				DeadLetter letter = deadLetters.list(stream, 1).get(0);
				assertThat(letter.deliveries()).isEqualTo(1);
				assertThat(letter.message()).contains("payload could not be read");
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(output.getOut()).contains("moved to the dead letters after 1 delivery: ")
						.doesNotContain("after 1 deliveries"));
			});
	}

	@Test
	void theBatchFormTakesSeveralEntriesAtOnce() {
		String stream = stream();
		StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.stream=" + stream)
			.withBean(Batches.class)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				Batches batches = context.getBean(Batches.class);
				// The group exists once the consumer reads: add after that, so one read can return many.
				await().atMost(Duration.ofSeconds(5))
					.until(() -> context.getBean(StreamListeners.class).allReading());
				for (int i = 0; i < 500; i++) {
					publisher.add(stream, new Order("b-" + i, i));
				}
				await().atMost(Duration.ofSeconds(10))
					.until(() -> batches.batches.snapshot().stream().mapToInt(List::size).sum() == 500);
				assertThat(batches.batches.snapshot()).anyMatch((batch) -> batch.size() > 1);
			});
	}

	@Test
	void aContextStoppedWhileHandlingAndStartedAgainReadsOnAndStrandsNothing() {
		String stream = stream();
		FirstBlocks listener = new FirstBlocks();
		try {
			StreamContexts.runner(SharedRedis.standalone())
				.withPropertyValues("test.stream=" + stream, "redis.starter.stream.shutdown-wait=300ms",
						"redis.starter.stream.defaults.read-count=10",
						"redis.starter.stream.defaults.claim-idle=1s")
				.withBean(FirstBlocks.class, () -> listener)
				.run((context) -> {
					StreamPublisher publisher = context.getBean(StreamPublisher.class);
					for (int i = 0; i < 30; i++) {
						publisher.add(stream, new Order("p" + i, 1));
					}
					assertThat(listener.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
					// Stopped with one entry being handled and more read ahead, as a paused test context is.
					context.getSourceApplicationContext().stop();
					listener.release.countDown();
					context.getSourceApplicationContext().start();
					await().atMost(Duration.ofSeconds(15)).until(() -> listener.handled.size() == 30);
					await().atMost(Duration.ofSeconds(5)).until(() -> StreamContexts.pending(
							context.getBean(LettuceConnectionFactory.class),
							prefix(context) + "stream:{" + stream + "}", "billing") == 0);
				});
		}
		finally {
			listener.release.countDown();
		}
	}

	private static String prefix(org.springframework.context.ApplicationContext context) {
		return context.getBean(dev.redisstarter.core.KeyNaming.class).prefix();
	}

	@Test
	void entriesOfAStoppedConsumerAreClaimedByALiveOneWithTheirDeliveryCountIncreased() {
		String stream = stream();
		Stuck stuck = new Stuck();
		try {
			StreamContexts.runner(SharedRedis.standalone())
				.withPropertyValues("test.stream=" + stream, "redis.starter.stream.shutdown-wait=200ms")
				.withBean(Stuck.class, () -> stuck)
				.run((context) -> {
					StreamPublisher publisher = context.getBean(StreamPublisher.class);
					for (int i = 0; i < 3; i++) {
						publisher.add(stream, new Order("held-" + i, 1));
					}
					assertThat(stuck.started.await(10, TimeUnit.SECONDS)).isTrue();
				});
			// The first instance is gone with three entries pending; the next one claims them.
			long start = System.nanoTime();
			StreamContexts.runner(SharedRedis.standalone())
				.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.claim-idle=1s")
				.withBean(Orders.class)
				.run((context) -> {
					Orders orders = context.getBean(Orders.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> orders.handled.size() == 3);
					assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within claim-idle plus the claim interval")
						.isLessThan(Duration.ofSeconds(5));
				});
		}
		finally {
			stuck.release.countDown();
		}
	}

}
