package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many entries through one group consumed by three application instances (three contexts, each with its own
 * connection factory): each entry is handled exactly once when nothing fails, every one is acknowledged, and
 * nothing stays pending. On a single server and on a Cluster (the stream's keys share one slot by their hash tag).
 */
class StreamScaleTests {

	private static final int ENTRIES = 10_000;

	record Item(int number) {
	}

	/** Every handler invocation of every instance. */
	static final class Ledger {

		final Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> byInstance = new ConcurrentHashMap<>();

		final Set<Long> deliveryCounts = ConcurrentHashMap.newKeySet();

		final AtomicInteger invocations = new AtomicInteger();

	}

	static class Worker {

		private final Ledger ledger;

		private final String instance;

		Worker(Ledger ledger, String instance) {
			this.ledger = ledger;
			this.instance = instance;
		}

		@StreamListener(stream = "${test.stream}", group = "scale", concurrency = 4)
		void handle(Item item, StreamDelivery delivery) {
			this.ledger.handled.computeIfAbsent(item.number(), (number) -> new AtomicInteger()).incrementAndGet();
			this.ledger.byInstance.computeIfAbsent(this.instance, (name) -> new AtomicInteger()).incrementAndGet();
			this.ledger.deliveryCounts.add(delivery.deliveries());
			this.ledger.invocations.incrementAndGet();
		}

	}

	@Test
	void tenThousandEntriesThroughThreeInstancesAreEachHandledOnceAndAllAcknowledgedOnStandalone() {
		tenThousandEntriesThroughThreeInstances(SharedRedis.standalone());
	}

	@Test
	void tenThousandEntriesThroughThreeInstancesAreEachHandledOnceAndAllAcknowledgedOnCluster() {
		tenThousandEntriesThroughThreeInstances(SharedRedis.cluster());
	}

	@Test
	void tenThousandEntriesThroughThreeInstancesOneOfWhichStopsMidwayAreAllHandledOnceAndAcknowledged() {
		RedisDeployment redis = SharedRedis.standalone();
		String stream = "scale-" + UUID.randomUUID();
		Ledger ledger = new Ledger();
		instance(redis, stream, ledger, "a").run((a) -> instance(redis, stream, ledger, "b").run((b) -> instance(redis,
				stream, ledger, "c")
			// c claims what b read ahead and left pending soon after b stops.
			.withPropertyValues("redis.starter.stream.defaults.claim-idle=1s")
			.run((c) -> {
					List<AssertableApplicationContext> instances = List.of(a, b, c);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> instances.stream()
							.allMatch((context) -> context.getBean(StreamListeners.class).allReading()));
					Thread publishing = new Thread(() -> {
						try {
							publish(a.getBean(StreamPublisher.class), stream);
						}
						catch (Exception ex) {
							throw new IllegalStateException(ex);
						}
					});
					publishing.start();
					await().atMost(Duration.ofSeconds(30)).until(() -> ledger.invocations.get() >= ENTRIES / 3);
					// A graceful stop: what b's handlers finish is acknowledged, what it read ahead stays pending.
					b.close();
					publishing.join();

					await().atMost(Duration.ofSeconds(60)).until(() -> ledger.handled.size() == ENTRIES);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> StreamState.pendingIds(a, stream, "scale").isEmpty());
					assertThat(ledger.handled.keySet()).as("none lost")
						.isEqualTo(IntStream.range(0, ENTRIES).boxed().collect(Collectors.toSet()));
					assertThat(ledger.handled.entrySet()).as("a graceful stop causes no duplicate")
						.allMatch((entry) -> entry.getValue().get() == 1);
					assertThat(ledger.byInstance.get("c").get()).as("c took over").isPositive();
				})));
	}

	private void tenThousandEntriesThroughThreeInstances(RedisDeployment redis) {
		String stream = "scale-" + UUID.randomUUID();
		Ledger ledger = new Ledger();
		instance(redis, stream, ledger, "a").run((a) -> instance(redis, stream, ledger, "b").run((b) -> instance(redis,
				stream, ledger, "c").run((c) -> {
					List<AssertableApplicationContext> instances = List.of(a, b, c);
					instances.forEach((context) -> assertThat(context).hasNotFailed());
					// Every instance reads before the first add, so that all three share the work.
					await().atMost(Duration.ofSeconds(10))
						.until(() -> instances.stream()
							.allMatch((context) -> context.getBean(StreamListeners.class).allReading()));

					publish(a.getBean(StreamPublisher.class), stream);

					await().atMost(Duration.ofSeconds(60)).until(() -> ledger.handled.size() == ENTRIES);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> StreamState.pendingIds(a, stream, "scale").isEmpty());
					await().atMost(Duration.ofSeconds(5))
						.untilAsserted(() -> assertThat(instances.stream().mapToDouble(StreamScaleTests::acknowledged).sum())
							.as("acknowledged, once each").isEqualTo(ENTRIES));

					assertThat(ledger.handled.keySet()).as("none lost")
						.isEqualTo(IntStream.range(0, ENTRIES).boxed().collect(Collectors.toSet()));
					assertThat(ledger.handled.values()).as("no duplicates without a failure")
						.allMatch((count) -> count.get() == 1);
					assertThat(ledger.invocations.get()).isEqualTo(ENTRIES);
					assertThat(ledger.deliveryCounts).as("every entry delivered once").containsExactly(1L);
					assertThat(ledger.byInstance.keySet()).as("each instance took a share").containsExactlyInAnyOrder("a", "b", "c");
					assertThat(StreamState.length(a, stream)).isEqualTo(ENTRIES);
				})));
	}

	private static ApplicationContextRunner instance(RedisDeployment redis, String stream, Ledger ledger, String name) {
		return StreamContexts.runner(redis)
			.withPropertyValues("spring.application.name=scale", "test.stream=" + stream,
					"redis.starter.stream.instance-id=" + name)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(Worker.class, () -> new Worker(ledger, name));
	}

	/** Adds the entries from several threads, as several request threads of an application would. */
	private static void publish(StreamPublisher publisher, String stream) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> adds = IntStream.range(0, 8)
				.mapToObj((thread) -> threads.submit(() -> {
					for (int number = thread; number < ENTRIES; number += 8) {
						publisher.add(stream, new Item(number));
					}
				}))
				.collect(Collectors.toList());
			for (Future<?> add : adds) {
				add.get();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static double acknowledged(AssertableApplicationContext context) {
		var counter = context.getBean(MeterRegistry.class).find("redis.starter.stream.acknowledged").counter();
		return (counter != null) ? counter.count() : 0;
	}

}
