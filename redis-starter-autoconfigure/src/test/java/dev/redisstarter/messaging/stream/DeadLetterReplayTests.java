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

	private static ApplicationContextRunner runner(String stream) {
		return StreamContexts.runner(SharedRedis.standalone())
			.withPropertyValues("test.stream=" + stream, "redis.starter.messaging.streams.defaults.max-deliveries=1");
	}

}
