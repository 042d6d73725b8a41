package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A durable topic ({@code broadcast = true}): every instance (a context with its own {@code instance-id}) receives
 * every entry in a group of its own; an instance that was away replays exactly what it missed, in order, and one
 * that was away longer than the stream kept its entries reports the gap.
 */
@ExtendWith(OutputCaptureExtension.class)
class DurableTopicTests {

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
	void everyInstanceReceivesEveryEntryAndARestartedInstanceReceivesExactlyWhatItMissedInOrder() {
		String stream = "prices-" + UUID.randomUUID();
		Prices a = new Prices();
		Prices b = new Prices();
		Prices bAgain = new Prices();
		SimpleMeterRegistry bMeters = new SimpleMeterRegistry();
		instance(stream, "a", a).run((first) -> {
			instance(stream, "b", b).run((second) -> {
				awaitReading(first, second);
				add(first, stream, 0, 50);
				await().atMost(Duration.ofSeconds(10)).until(() -> a.received.size() == 50 && b.received.size() == 50);
				assertThat(a.received.snapshot()).as("every entry, in order").isEqualTo(range(0, 50));
				assertThat(b.received.snapshot()).as("every entry, in order").isEqualTo(range(0, 50));
				awaitAcknowledged(second, stream, "pricing:b");
			});
			// Instance b is away (its context closed) while entries are added.
			add(first, stream, 50, 80);
			await().atMost(Duration.ofSeconds(10)).until(() -> a.received.size() == 80);

			instance(stream, "b", bAgain).withBean(MeterRegistry.class, () -> bMeters).run((second) -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> bAgain.received.size() >= 30);
				assertThat(bAgain.received.snapshot()).as("exactly what it missed, in order").isEqualTo(range(50, 80));
				add(first, stream, 80, 100);
				await().atMost(Duration.ofSeconds(10)).until(() -> a.received.size() == 100 && bAgain.received.size() == 50);
				assertThat(bAgain.received.snapshot()).isEqualTo(range(50, 100));
				assertThat(gaps(bMeters, stream, "pricing:b")).as("no gap: nothing it missed was trimmed").isZero();
			});
			assertThat(a.received.snapshot()).isEqualTo(range(0, 100));
			assertThat(b.received.snapshot()).as("nothing after it stopped").isEqualTo(range(0, 50));
		});
	}

	/** Stops short on one entry: its instance is closed in the middle of the stream. */
	static class StuckPrices extends Prices {

		final CountDownLatch stuck = new CountDownLatch(1);

		@Override
		@StreamListener(stream = "${test.stream}", group = "pricing", broadcast = true)
		void price(Price price) {
			if (price.cents() == 5) {
				this.stuck.countDown();
				try {
					Thread.sleep(30_000);
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException("interrupted by the shutdown", ex);
				}
			}
			super.price(price);
		}

	}

	@Test
	void anInstanceStoppedWhileHandlingReceivesWhatItHadNotFinishedThenWhatItMissedInOrderAfterItsRestart() {
		String stream = "prices-" + UUID.randomUUID();
		Prices a = new Prices();
		StuckPrices b = new StuckPrices();
		Prices bAgain = new Prices();
		instance(stream, "a", a).run((first) -> {
			instance(stream, "b", b).withPropertyValues("redis.starter.stream.shutdown-wait=200ms")
				.run((second) -> {
					awaitReading(first, second);
					add(first, stream, 0, 10);
					assertThat(b.stuck.await(10, TimeUnit.SECONDS)).isTrue();
					// b stops with 5 being handled, 6 read ahead and 7 to 9 unread.
				});
			add(first, stream, 10, 15);
			await().atMost(Duration.ofSeconds(10)).until(() -> a.received.size() == 15);
			assertThat(b.received.snapshot()).isEqualTo(range(0, 5));

			instance(stream, "b", bAgain).run((second) -> {
				await().atMost(Duration.ofSeconds(5)).until(() -> bAgain.received.size() >= 10);
				assertThat(bAgain.received.snapshot()).as("from where it stopped, in order").isEqualTo(range(5, 15));
				awaitAcknowledged(second, stream, "pricing:b");
			});
		});
	}

	@Test
	void anInstanceAwayLongerThanTheStreamKeepsEntriesReportsTheGapAndReceivesWhatFollows(CapturedOutput output) {
		String stream = "prices-" + UUID.randomUUID();
		Prices a = new Prices();
		Prices b = new Prices();
		Prices bAgain = new Prices();
		SimpleMeterRegistry bMeters = new SimpleMeterRegistry();
		instance(stream, "a", a).run((first) -> {
			instance(stream, "b", b).run((second) -> {
				awaitReading(first, second);
				add(first, stream, 0, 10);
				await().atMost(Duration.ofSeconds(10)).until(() -> a.received.size() == 10 && b.received.size() == 10);
				awaitAcknowledged(second, stream, "pricing:b");
			});
			add(first, stream, 10, 30);
			await().atMost(Duration.ofSeconds(10)).until(() -> a.received.size() == 30);
			// A retention far shorter than b's absence: everything it missed is gone.
			StreamState.trimAll(first, stream);

			instance(stream, "b", bAgain).withBean(MeterRegistry.class, () -> bMeters).run((second) -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> gaps(bMeters, stream, "pricing:b") == 1);
				assertThat(output).contains("Durable topic '" + stream + "'")
					.contains("was away longer than the stream keeps entries");
				await().atMost(Duration.ofSeconds(5)).until(() -> second.getBean(StreamListeners.class).allReading());
				add(first, stream, 30, 35);
				await().atMost(Duration.ofSeconds(10)).until(() -> bAgain.received.size() == 5);
				assertThat(bAgain.received.snapshot()).as("what follows the gap").isEqualTo(range(30, 35));
			});
		});
	}

	@Test
	void theGroupOfAnInstanceGoneWhileNoInstanceRanIsRemovedOnceAnInstanceRunsAgainAndWorkGroupsStay() {
		String stream = "prices-" + UUID.randomUUID();
		instance(stream, "a", new Prices()).withPropertyValues("redis.starter.stream.instance-expiry=1s")
			.run((context) -> {
				awaitReading(context);
				// What is left when no instance ran for twice instance-expiry: the instances hash expired, the group of
				// an instance gone for good stayed. A work group of the same stream is not a durable-topic instance's.
				StreamState.createGroup(context, stream, "pricing:gone");
				StreamState.createGroup(context, stream, "billing");
				await().atMost(Duration.ofSeconds(15))
					.until(() -> !StreamState.groups(context, stream).contains("pricing:gone"));
				assertThat(StreamState.groups(context, stream)).containsExactlyInAnyOrder("pricing:a", "billing");
			});
	}

	private static ApplicationContextRunner instance(String stream, String instanceId, Prices prices) {
		return StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("spring.application.name=topics", "test.stream=" + stream,
					"redis.starter.stream.instance-id=" + instanceId)
			.withBean(Prices.class, () -> prices);
	}

	/** A durable-topic group starts at the entries added after it was created: add only once both read. */
	private static void awaitReading(AssertableApplicationContext... instances) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> List.of(instances)
				.stream()
				.allMatch((context) -> context.getBean(StreamListeners.class).allReading()));
	}

	private static void awaitAcknowledged(AssertableApplicationContext context, String stream, String group) {
		await().atMost(Duration.ofSeconds(5)).until(() -> StreamState.pendingIds(context, stream, group).isEmpty());
	}

	private static void add(AssertableApplicationContext context, String stream, int from, int to) {
		StreamPublisher publisher = context.getBean(StreamPublisher.class);
		for (int cents = from; cents < to; cents++) {
			publisher.add(stream, new Price("sku-1", cents));
		}
	}

	private static List<Integer> range(int from, int to) {
		return IntStream.range(from, to).boxed().toList();
	}

	private static double gaps(MeterRegistry registry, String stream, String group) {
		Counter counter = registry.find("redis.starter.stream.gaps").tags("stream", stream, "group", group).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
