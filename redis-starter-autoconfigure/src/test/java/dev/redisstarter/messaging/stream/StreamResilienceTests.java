package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.RedisSentinelGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consumers pause while Redis is away and resume by themselves (a restart, a Sentinel failover), and entries held
 * by a consumer that lost Redis (its connection cut, or silent as behind a frozen server) are handled by another
 * consumer after {@code claim-idle}, with their delivery count increased.
 */
class StreamResilienceTests {

	private static final Duration CLAIM_IDLE = Duration.ofSeconds(2);

	private static final Duration CLAIM_INTERVAL = Duration.ofMillis(500);

	record Order(String item) {
	}

	static class Orders {

		final Map<String, Long> handled = new ConcurrentHashMap<>();

		@StreamListener(stream = "${test.stream}", group = "billing", concurrency = 2)
		void order(Order order, StreamDelivery delivery) {
			this.handled.put(order.item(), delivery.deliveries());
		}

	}

	/** Holds every entry it gets until the test ends, as a long handler would. */
	static class Holder {

		final AtomicInteger started = new AtomicInteger();

		final CountDownLatch release = new CountDownLatch(1);

		@StreamListener(stream = "${test.stream}", group = "billing", concurrency = 3)
		void order(Order order) throws InterruptedException {
			this.started.incrementAndGet();
			this.release.await(60, TimeUnit.SECONDS);
		}

	}

	@Test
	void consumptionResumesByItselfAfterRedisStopsAndStartsAgain() {
		String stream = "orders-" + UUID.randomUUID();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server, stream).withBean(Orders.class).run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				Orders orders = context.getBean(Orders.class);
				publisher.add(stream, new Order("before"));
				await().atMost(Duration.ofSeconds(10)).until(() -> orders.handled.containsKey("before"));

				server.stop();
				server.start();
				// The restarted server is empty: the consumer creates its group again and reads what follows.
				assertThat(addUntilHandled(publisher, orders, stream)).isLessThan(Duration.ofSeconds(15));
			});
		}
	}

	@Test
	void aConsumerNoticesAFrozenRedisAndResumesByItselfAfterTheThaw() {
		String stream = "orders-" + UUID.randomUUID();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server, stream).withBean(Orders.class).run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				Orders orders = context.getBean(Orders.class);
				StreamListeners listeners = context.getBean(StreamListeners.class);
				publisher.add(stream, new Order("before"));
				await().atMost(Duration.ofSeconds(10)).until(() -> orders.handled.containsKey("before"));

				server.freeze();
				try {
					// A read outlives its block time by the liveness timeout: the consumer drops that connection.
					await().atMost(Duration.ofSeconds(5)).until(() -> !listeners.allReading());
				}
				finally {
					server.thaw();
				}
				assertThat(addUntilHandled(publisher, orders, stream)).isLessThan(Duration.ofSeconds(15));
				await().atMost(Duration.ofSeconds(5)).until(listeners::allReading);
			});
		}
	}

	@Test
	void consumptionResumesByItselfAfterASentinelFailover() {
		String stream = "orders-" + UUID.randomUUID();
		try (RedisSentinelGroup group = RedisSentinelGroup.create().start()) {
			runner(group, stream).withBean(Orders.class).run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				Orders orders = context.getBean(Orders.class);
				publisher.add(stream, new Order("before"));
				await().atMost(Duration.ofSeconds(10)).until(() -> orders.handled.containsKey("before"));

				group.stopMaster();
				group.awaitFailover(Duration.ofSeconds(30));
				assertThat(addUntilHandled(publisher, orders, stream)).isLessThan(Duration.ofSeconds(20));
			});
		}
	}

	@Test
	void entriesOfAConsumerWhoseConnectionIsCutAreHandledByAnotherWithinClaimIdleWithTheirDeliveryCountIncreased() {
		takenOverAfter(Fault.RESET, true);
	}

	@Test
	void entriesOfAConsumerWhoseRedisFallsSilentAreHandledByAnotherWithinClaimIdleWithTheirDeliveryCountIncreased() {
		// A black hole is a frozen server as this one consumer sees it: connections stay open, nothing answers.
		takenOverAfter(Fault.BLACK_HOLE, false);
	}

	private void takenOverAfter(Fault fault, boolean checkRenewal) {
		String stream = "orders-" + UUID.randomUUID();
		Holder holder = new Holder();
		Orders taker = new Orders();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				FaultProxy proxy = FaultProxy.inFrontOf(server)) {
			runner(server, stream).withPropertyValues("spring.data.redis.url=" + proxy.url())
				.withBean(Holder.class, () -> holder)
				.run((holding) -> {
					StreamPublisher publisher = holding.getBean(StreamPublisher.class);
					for (int i = 0; i < 3; i++) {
						publisher.add(stream, new Order("held-" + i));
					}
					await().atMost(Duration.ofSeconds(10)).until(() -> holder.started.get() == 3);
					runner(server, stream).withBean(Orders.class, () -> taker).run((taking) -> {
						await().atMost(Duration.ofSeconds(5)).until(() -> taking.getBean(StreamListeners.class).allReading());
						if (checkRenewal) {
							// A consumer still handling its entries renews them: nobody takes them, however long they take.
							await().during(CLAIM_IDLE.plus(CLAIM_INTERVAL))
								.atMost(CLAIM_IDLE.plusSeconds(2))
								.until(() -> taker.handled.isEmpty());
						}
						long cut = System.nanoTime();
						proxy.set(fault);
						try {
							await().atMost(Duration.ofSeconds(10)).until(() -> taker.handled.size() == 3);
							assertThat(Duration.ofNanos(System.nanoTime() - cut))
								.as("within claim-idle plus the claim interval")
								.isLessThan(CLAIM_IDLE.plus(CLAIM_INTERVAL).plusMillis(1500));
							assertThat(taker.handled).containsOnlyKeys("held-0", "held-1", "held-2");
							assertThat(taker.handled.values()).as("delivered a second time, counted").containsOnly(2L);
							await().atMost(Duration.ofSeconds(5))
								.until(() -> StreamState.pendingIds(taking, stream, "billing").isEmpty());
						}
						finally {
							// The holder's handlers end; the connections it had are dropped rather than left hanging.
							holder.release.countDown();
							proxy.set(Fault.RESET);
						}
					});
				});
		}
	}

	/** Adds entries until one added after the recovery is handled; returns how long that took. */
	private static Duration addUntilHandled(StreamPublisher publisher, Orders orders, String stream) {
		long start = System.nanoTime();
		AtomicInteger attempt = new AtomicInteger();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			try {
				publisher.add(stream, new Order("after-" + attempt.incrementAndGet()));
			}
			catch (StreamUnavailableException ex) {
				// Redis is not back yet.
			}
			return orders.handled.keySet().stream().anyMatch((item) -> item.startsWith("after-"));
		});
		return Duration.ofNanos(System.nanoTime() - start);
	}

	private static ApplicationContextRunner runner(RedisDeployment redis, String stream) {
		return StreamContexts.runner(redis)
			.withPropertyValues("spring.application.name=resilience", "test.stream=" + stream,
					"redis.starter.resilience.liveness-timeout=500ms", "redis.starter.resilience.open-duration=300ms",
					"redis.starter.stream.defaults.claim-idle=" + CLAIM_IDLE.toMillis() + "ms",
					"redis.starter.stream.defaults.claim-interval=" + CLAIM_INTERVAL.toMillis() + "ms");
	}

}
