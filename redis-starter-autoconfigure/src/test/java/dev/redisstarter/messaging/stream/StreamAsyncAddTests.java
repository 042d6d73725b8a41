package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.stream.RecordId;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.SharedRedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code addAsync}: entries added without waiting from one thread are all stored, in order, each future carrying
 * its entry's id; failures come through the future within the streams timeout; bad input is thrown at once.
 */
class StreamAsyncAddTests {

	record Event(int number) {
	}

	static class Events {

		final StreamContexts.Received<Integer> numbers = new StreamContexts.Received<>();

		@StreamListener(stream = "${test.stream}", group = "async")
		void on(Event event) {
			this.numbers.add(event.number());
		}

	}

	@Test
	void entriesAddedWithoutWaitingArriveInOrderOnOneServer() {
		entriesArriveInOrder(SharedRedis.standalone());
	}

	@Test
	void entriesAddedWithoutWaitingArriveInOrderOnACluster() {
		entriesArriveInOrder(SharedRedis.cluster());
	}

	private static void entriesArriveInOrder(RedisDeployment redis) {
		String stream = "async-" + UUID.randomUUID();
		Events events = new Events();
		StreamContexts.runner(redis).withPropertyValues("test.stream=" + stream)
			.withBean(Events.class, () -> events)
			.run((context) -> {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				// The script cached on the stream's node first: an add answered NOSCRIPT is sent again by text and may
				// land after a later one (documented); order holds once the node knows the script.
				publisher.add(stream, new Event(-1));
				List<CompletableFuture<RecordId>> sent = new ArrayList<>();
				for (int i = 0; i < 2000; i++) {
					sent.add(publisher.addAsync(stream, new Event(i)));
				}
				CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
				for (int i = 1; i < sent.size(); i++) {
					RecordId before = sent.get(i - 1).join();
					RecordId after = sent.get(i).join();
					assertThat(after.getTimestamp() > before.getTimestamp() || (after.getTimestamp().equals(before.getTimestamp())
							&& after.getSequence() > before.getSequence()))
						.as("ids rise in the order of the calls: %s after %s", after, before).isTrue();
				}
				await().atMost(Duration.ofSeconds(20)).until(() -> events.numbers.size() == 2001);
				List<Integer> expected = new ArrayList<>(List.of(-1));
				for (int i = 0; i < 2000; i++) {
					expected.add(i);
				}
				assertThat(events.numbers.snapshot()).containsExactlyInAnyOrderElementsOf(expected);
			});
	}

	@Test
	void aFieldWithAReservedNameIsThrownAtOnce() {
		StreamContexts.runner(SharedRedis.standalone()).run((context) -> assertThatExceptionOfType(
				IllegalArgumentException.class)
			.isThrownBy(() -> context.getBean(StreamPublisher.class)
				.addAsync("async-" + UUID.randomUUID(), new Event(1), java.util.Map.of("payload", "x"))));
	}

	@Test
	void aFrozenRedisFailsTheFutureWithinTheStreamsTimeout() {
		String stream = "async-" + UUID.randomUUID();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			StreamContexts.runner(server).withPropertyValues("redis.starter.resilience.open-duration=300ms")
				.run((context) -> {
					StreamPublisher publisher = context.getBean(StreamPublisher.class);
					publisher.addAsync(stream, new Event(0)).get(5, TimeUnit.SECONDS);
					server.freeze();
					try {
						long start = System.nanoTime();
						CompletableFuture<RecordId> frozen = publisher.addAsync(stream, new Event(1));
						assertThatExceptionOfType(ExecutionException.class)
							.isThrownBy(() -> frozen.get(3, TimeUnit.SECONDS))
							.withCauseInstanceOf(StreamUnavailableException.class);
						assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
							.as("within the streams timeout (500 ms)").isLessThan(1000);
					}
					finally {
						server.thaw();
					}
					await().atMost(Duration.ofSeconds(10)).until(() -> publisher.addAsync(stream, new Event(2))
						.handle((id, failure) -> id != null).join());
				});
		}
	}

}
