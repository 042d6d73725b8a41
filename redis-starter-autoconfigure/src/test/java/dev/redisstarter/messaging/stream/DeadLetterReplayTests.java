package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Replaying dead letters: each once per call, with the original id, to the group that gave it up. */
@RealRedis
class DeadLetterReplayTests {

	dev.redisstarter.test.RedisDeployment redis() {
		return SharedRedis.standalone();
	}

	record Order(String item) {
	}

	/** A listener whose every call fails at once, as when its downstream refuses everything. */
	static class AlwaysFailing {

		final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

		@StreamListener(stream = "${test.stream}", group = "billing", concurrency = 4)
		void order(Order order) {
			this.calls.computeIfAbsent(order.item(), (item) -> new AtomicInteger()).incrementAndGet();
			throw new IllegalStateException("refused");
		}

	}

	@Test
	void replayAllReplaysEachLetterExactlyOnceEvenWhenTheReplaysFailAgainAtOnce() {
		String stream = "orders-" + UUID.randomUUID();
		AlwaysFailing listener = new AlwaysFailing();
		int letters = 250;
		runner(stream).withBean(AlwaysFailing.class, () -> listener).run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			DeadLetters deadLetters = context.getBean(DeadLetters.class);
			for (int i = 0; i < letters; i++) {
				publisher.add(stream, new Order("item-" + i));
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.count(stream) == letters);

			// More than two pages of letters, each failing again (and dead-lettered anew) while the call goes on.
			assertThat(deadLetters.replayAll(stream)).isEqualTo(letters);

			await().atMost(Duration.ofSeconds(20))
				.until(() -> deadLetters.count(stream) == letters
						&& listener.calls.values().stream().allMatch((count) -> count.get() == 2));
			assertThat(listener.calls).hasSize(letters);
			assertThat(listener.calls.values()).as("handled once, then once per replay").allMatch((count) -> count.get() == 2);
		});
	}

	@Test
	void aPreviewListsDeadLettersWithEveryFieldCutAndTheListKeepsThemWhole() {
		String stream = "orders-" + UUID.randomUUID();
		runner(stream).withBean(AlwaysFailing.class).run((context) -> {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			DeadLetters deadLetters = context.getBean(DeadLetters.class);
			publisher.add(stream, new Order("\uD83D\uDE00".repeat(50_000)));
			publisher.add(stream, new Order("small"));
			await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count(stream) == 2);

			java.util.List<DeadLetter> previews = deadLetters.preview(stream, 10, 30);
			assertThat(previews).hasSize(2);
			// Handled concurrently: either may have died first.
			DeadLetter big = previews.stream().filter((letter) -> !letter.payload().contains("small")).findFirst()
				.orElseThrow();
			assertThat(big.payload().length()).isBetween(29, 30);
			assertThat(Character.isHighSurrogate(big.payload().charAt(big.payload().length() - 1)))
				.as("no half character").isFalse();
			assertThat(big.message().length()).isLessThanOrEqualTo(30);
			assertThat(big.error()).isEqualTo(IllegalStateException.class.getName());
			assertThat(big.originalId()).isNotEmpty();
			assertThat(previews).extracting(DeadLetter::payload).contains("{\"item\":\"small\"}");
			assertThat(deadLetters.preview(stream, 1, 30)).hasSize(1);
			assertThat(deadLetters.list(stream, 10)).extracting(DeadLetter::payload).as("the list has it whole")
				.anyMatch((payload) -> payload.length() > 100_000);
			org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
				.isThrownBy(() -> deadLetters.preview(stream, 0, 30));
			org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
				.isThrownBy(() -> deadLetters.preview(stream, 10, 0));
		});
	}

	/** Fails while its downstream is down; keeps what it handled, keyed by the entry's original id. */
	static class Billing {

		final java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);

		final StreamContexts.Received<StreamDelivery> handled = new StreamContexts.Received<>();

		final StreamContexts.Received<StreamDelivery> failed = new StreamContexts.Received<>();

		@StreamListener(stream = "${test.stream}", group = "billing")
		void order(Order order, StreamDelivery delivery) {
			if (this.down.get()) {
				this.failed.add(delivery);
				throw new IllegalStateException("billing is down");
			}
			this.handled.add(delivery);
		}

	}

	static class Audit {

		final StreamContexts.Received<StreamDelivery> handled = new StreamContexts.Received<>();

		@StreamListener(stream = "${test.stream}", group = "audit")
		void order(Order order, StreamDelivery delivery) {
			this.handled.add(delivery);
		}

	}

	@Test
	void aReplayCarriesTheOriginalIdThroughReplaysAndReachesOnlyTheGroupThatGaveItUp() {
		String stream = "orders-" + UUID.randomUUID();
		Billing billing = new Billing();
		Audit audit = new Audit();
		io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		runner(stream).withBean(Billing.class, () -> billing)
			.withBean(Audit.class, () -> audit)
			.withBean(io.micrometer.core.instrument.MeterRegistry.class, () -> meters)
			.run((context) -> {
				DeadLetters deadLetters = context.getBean(DeadLetters.class);
				org.springframework.data.redis.connection.stream.RecordId original = context.getBean(StreamPublisher.class)
					.add(stream, new Order("kettle"), Map.of("customer", "c-7"));
				await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count(stream) == 1 && audit.handled.size() == 1);

				// Replayed while billing is still down: it fails again and is dead-lettered again.
				String first = deadLetters.list(stream, 1).get(0).id();
				assertThat(deadLetters.replay(stream, first)).isPresent();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> billing.failed.size() == 2 && deadLetters.count(stream) == 1
							&& !deadLetters.list(stream, 1).get(0).id().equals(first));
				StreamDelivery again = billing.failed.snapshot().get(1);
				assertThat(again.originalId()).isEqualTo(original);
				assertThat(again.id()).isNotEqualTo(original);
				assertThat(again.isReplay()).isTrue();
				assertThat(again.fields()).as("the replay fields stay out of the entry's own").containsExactly(Map.entry("customer", "c-7"));

				billing.down.set(false);
				assertThat(deadLetters.replayAll(stream)).isEqualTo(1);
				await().atMost(Duration.ofSeconds(10)).until(() -> billing.handled.size() == 1);
				assertThat(billing.handled.snapshot().get(0).originalId()).as("the first id, through a replay of a replay")
					.isEqualTo(original);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> StreamState.pendingIds(context, stream, "audit").isEmpty()
							&& meters.counter("redis.starter.stream.replays.skipped", "stream", stream, "group", "audit")
								.count() == 2);
				assertThat(audit.handled.snapshot()).as("the other group handled the entry once, not its replays")
					.singleElement()
					.satisfies((delivery) -> assertThat(delivery.isReplay()).isFalse());
				assertThat(audit.handled.snapshot().get(0).originalId()).isEqualTo(original);

				// For every group when asked.
				billing.down.set(true);
				context.getBean(StreamPublisher.class).add(stream, new Order("toaster"));
				await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count(stream) == 1 && audit.handled.size() == 2);
				deadLetters.replayAll(stream, DeadLetters.Target.ALL_GROUPS);
				await().atMost(Duration.ofSeconds(10)).until(() -> audit.handled.size() == 3);
				assertThat(audit.handled.snapshot().get(2).isReplay()).isTrue();
			});
	}

	private ApplicationContextRunner runner(String stream) {
		return StreamContexts.runner(redis())
			.withPropertyValues("test.stream=" + stream, "redis.starter.stream.defaults.max-deliveries=1",
					// Every entry fails here on purpose: no circuit, so that they are dead-lettered.
					"redis.starter.stream.defaults.circuit.failure-threshold=0");
	}

}
