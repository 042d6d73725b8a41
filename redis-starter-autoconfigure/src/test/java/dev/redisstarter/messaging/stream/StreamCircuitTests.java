package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.redisstarter.messaging.HandlerCircuit;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener whose downstream is down fails on every entry: its consumer-side circuit pauses it instead of spending
 * each entry's deliveries, so an outage far longer than the retry schedule dead-letters nothing, and every entry is
 * handled once the downstream is back.
 */
@RealRedis
class StreamCircuitTests {

	/** The Redis the tests run on; a Cluster in the subclass. */
	RedisDeployment redis() {
		return SharedRedis.standalone();
	}

	record Order(String item) {
	}

	static class Billing {

		final AtomicBoolean down = new AtomicBoolean(true);

		final Set<String> handled = ConcurrentHashMap.newKeySet();

		final AtomicInteger failures = new AtomicInteger();

		@StreamListener(stream = "${test.stream}", group = "billing", concurrency = 2)
		void order(Order order) {
			if (this.down.get()) {
				this.failures.incrementAndGet();
				throw new IllegalStateException("the billing service is down");
			}
			this.handled.add(order.item());
		}

	}

	@Test
	void anOutageLongerThanTheRetryScheduleDeadLettersNothingWhileTheCircuitIsOpenAndEveryEntryIsHandledAfterIt() {
		String stream = "orders-" + UUID.randomUUID();
		Billing billing = new Billing();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		StreamContexts.runner(redis())
			.withPropertyValues("test.stream=" + stream,
					// The whole retry schedule: 3 deliveries, 50 ms then 100 ms apart (±20%), well under the outage.
					"redis.starter.stream.defaults.max-deliveries=3",
					"redis.starter.stream.defaults.circuit.failure-threshold=2",
					"redis.starter.stream.defaults.circuit.pause=200ms",
					"redis.starter.stream.defaults.circuit.max-pause=400ms")
			.withBean(Billing.class, () -> billing)
			.withBean(MeterRegistry.class, () -> meters)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				DeadLetters deadLetters = context.getBean(DeadLetters.class);
				StreamListeners listeners = context.getBean(StreamListeners.class);
				for (int i = 0; i < 20; i++) {
					publisher.add(stream, new Order("item-" + i));
				}
				await().atMost(Duration.ofSeconds(5))
					.until(() -> listeners.states().get(0).circuit().equals(HandlerCircuit.State.OPEN.name()));
				assertThat(listeners.states().get(0).state()).isEqualTo(ConsumerStatus.PAUSED);
				assertThat(listeners.states().get(0).circuitLastError()).contains("the billing service is down");
				assertThat(meters.get("redis.starter.stream.circuit.state").tags("stream", stream, "group", "billing")
					.gauge()
					.value()).isGreaterThan(0);

				// Ten times the retry schedule, with probes failing every 200 to 400 ms.
				long outageEnd = System.nanoTime() + Duration.ofSeconds(3).toNanos();
				while (System.nanoTime() < outageEnd) {
					assertThat(deadLetters.count(stream)).as("nothing dead-lettered while the circuit is open").isZero();
					Thread.sleep(100);
				}
				assertThat(billing.failures.get()).as("probes, not every entry's deliveries").isLessThan(40);
				billing.down.set(false);

				await().atMost(Duration.ofSeconds(10)).until(() -> billing.handled.size() == 20);
				assertThat(billing.handled).isEqualTo(
						IntStream.range(0, 20).mapToObj((i) -> "item-" + i).collect(Collectors.toSet()));
				assertThat(deadLetters.count(stream)).isZero();
				await().atMost(Duration.ofSeconds(5))
					.until(() -> StreamState.pendingIds(context, stream, "billing").isEmpty());
				assertThat(listeners.states().get(0).circuit()).isEqualTo("CLOSED");
				assertThat(listeners.states().get(0).circuitOpenings()).isEqualTo(1);
			});
	}

	static class PoisonedBilling {

		final AtomicBoolean down = new AtomicBoolean(true);

		final Set<String> handled = ConcurrentHashMap.newKeySet();

		@StreamListener(stream = "${test.stream}", group = "billing")
		void order(Order order) {
			if (this.down.get() || order.item().equals("poison")) {
				throw new IllegalStateException("cannot bill " + order.item());
			}
			this.handled.add(order.item());
		}

	}

	@Test
	void aPoisonEntryFailingWhileTheCircuitIsOpenDoesNotKeepTheListenerPausedOnceTheDownstreamIsBack() {
		String stream = "orders-" + UUID.randomUUID();
		PoisonedBilling billing = new PoisonedBilling();
		StreamContexts.runner(redis())
			.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.max-deliveries=3",
					"redis.starter.stream.defaults.circuit.failure-threshold=2",
					"redis.starter.stream.defaults.circuit.pause=300ms",
					"redis.starter.stream.defaults.circuit.max-pause=600ms")
			.withBean(PoisonedBilling.class, () -> billing)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				DeadLetters deadLetters = context.getBean(DeadLetters.class);
				StreamListeners listeners = context.getBean(StreamListeners.class);
				// The poison entry fails second: it opens the circuit, so its retry comes at the end of the pause, as the probe.
				publisher.add(stream, new Order("item-0"));
				publisher.add(stream, new Order("poison"));
				await().atMost(Duration.ofSeconds(5))
					.until(() -> listeners.states().get(0).circuit().equals(HandlerCircuit.State.OPEN.name()));
				// The downstream is back; entries keep coming. Only the poison entry still fails.
				billing.down.set(false);
				for (int i = 1; i <= 5; i++) {
					publisher.add(stream, new Order("item-" + i));
				}

				// A few pauses at most: the poison entry (which alone cannot open the circuit again: it is one message) must not
				// keep the listener paused; once another entry probed, it is dead-lettered as usual.
				await().atMost(Duration.ofSeconds(6)).until(() -> billing.handled.size() == 6);
				await().atMost(Duration.ofSeconds(5)).until(() -> deadLetters.count(stream) == 1);
				assertThat(listeners.states().get(0).circuit()).isEqualTo("CLOSED");
			});
	}

	static class FlakyBilling {

		final AtomicBoolean down = new AtomicBoolean(true);

		final Set<String> handled = ConcurrentHashMap.newKeySet();

		final Set<String> failedOnceAfterTheOutage = ConcurrentHashMap.newKeySet();

		volatile java.util.function.Supplier<String> circuit = () -> "";

		@StreamListener(stream = "${test.stream}", group = "billing")
		void order(Order order) {
			if (this.down.get()) {
				throw new IllegalStateException("the billing service is down");
			}
			if (this.circuit.get().equals("CLOSED") && this.failedOnceAfterTheOutage.add(order.item())) {
				throw new IllegalStateException("one time-out after the outage");
			}
			this.handled.add(order.item());
		}

	}

	@Test
	void failuresWhileTheCircuitIsOpenDoNotSpendDeliveriesSoOneFailureAfterTheOutageDoesNotDeadLetter() {
		String stream = "orders-" + UUID.randomUUID();
		FlakyBilling billing = new FlakyBilling();
		StreamContexts.runner(redis())
			.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.max-deliveries=4",
					"redis.starter.stream.defaults.circuit.failure-threshold=2",
					"redis.starter.stream.defaults.circuit.pause=100ms",
					"redis.starter.stream.defaults.circuit.max-pause=200ms")
			.withBean(FlakyBilling.class, () -> billing)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				DeadLetters deadLetters = context.getBean(DeadLetters.class);
				StreamListeners listeners = context.getBean(StreamListeners.class);
				billing.circuit = () -> listeners.states().get(0).circuit();
				publisher.add(stream, new Order("item-0"));
				publisher.add(stream, new Order("item-1"));
				await().atMost(Duration.ofSeconds(5))
					.until(() -> listeners.states().get(0).circuit().equals(HandlerCircuit.State.OPEN.name()));
				// An outage of many pauses: a probe fails every 100 to 200 ms.
				Thread.sleep(3000);
				billing.down.set(false);

				await().atMost(Duration.ofSeconds(10)).until(() -> billing.handled.size() + deadLetters.count(stream) == 2);
				assertThat(deadLetters.count(stream)).as("dead-lettered for one failure after the outage").isZero();
				assertThat(billing.handled).containsExactlyInAnyOrder("item-0", "item-1");
			});
	}

	@Test
	void circuitSettingsBindForEveryStreamAndPerStreamAndABadOneStopsStartUpNamingTheProperty() {
		StreamContexts.runner(redis())
			.withPropertyValues("redis.starter.stream.defaults.circuit.failure-threshold=4",
					"redis.starter.stream.named.orders.circuit.pause=2s")
			.run((context) -> {
				StreamSettingsByName settings = context.getBean(StreamSettingsByName.class);
				assertThat(settings.apply("orders").circuit())
					.isEqualTo(new HandlerCircuit.Settings(4, Duration.ofSeconds(2), Duration.ofMinutes(1)));
				assertThat(settings.apply("other").circuit())
					.isEqualTo(new HandlerCircuit.Settings(4, Duration.ofSeconds(5), Duration.ofMinutes(1)));
			});
		StreamContexts.runner(redis())
			.withPropertyValues("redis.starter.stream.named.orders.circuit.pause=2s",
					"redis.starter.stream.named.orders.circuit.max-pause=1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("redis.starter.stream.named.orders")
					.hasMessageContaining("circuit max-pause");
			});
	}

}
