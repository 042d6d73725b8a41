package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.redisstarter.core.InvalidAnnotationException;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class KeyEventListenerTests {

	static final String PREFIX = "carts:" + UUID.randomUUID() + ":";

	static class Expiries {

		final PubSubContexts.Received<KeyEvent> events = new PubSubContexts.Received<>();

		final PubSubContexts.Received<String> deleted = new PubSubContexts.Received<>();

		@KeyEventListener(events = "expired", keys = "carts:*")
		void expired(KeyEvent event) {
			this.events.add(event);
		}

		@KeyEventListener(events = "del", keys = "carts:*")
		void deleted(String key) {
			this.deleted.add(key);
		}

	}

	static class WrongSignature {

		@KeyEventListener
		void expired(KeyEvent event, String extra) {
		}

	}

	@Test
	void expiriesOfMatchingKeysArriveEachOnceAndOthersAreFilteredOut() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			PubSubContexts.runner(server)
				.withPropertyValues("redis.starter.messaging.keyspace.configure-server=true")
				.withBean(Expiries.class)
				.run((context) -> {
					context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
					List<String> keys = IntStream.range(0, 20).mapToObj((i) -> PREFIX + i).toList();
					try (var connection = context.getBean(RedisConnectionFactory.class).getConnection()) {
						for (String key : keys) {
							connection.stringCommands().set(key.getBytes(), "x".getBytes(),
									org.springframework.data.redis.core.types.Expiration.milliseconds(100),
									org.springframework.data.redis.connection.RedisStringCommands.SetOption.upsert());
						}
						connection.stringCommands().set(("other:" + UUID.randomUUID()).getBytes(), "x".getBytes(),
								org.springframework.data.redis.core.types.Expiration.milliseconds(100),
								org.springframework.data.redis.connection.RedisStringCommands.SetOption.upsert());
						connection.stringCommands().set((PREFIX + "deleted").getBytes(), "x".getBytes());
						connection.keyCommands().del((PREFIX + "deleted").getBytes());
					}
					Expiries expiries = context.getBean(Expiries.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> expiries.events.size() >= 20);
					Thread.sleep(300);
					List<KeyEvent> events = expiries.events.snapshot();
					assertThat(events).hasSize(20).allMatch((event) -> event.event().equals("expired") && event.database() == 0);
					assertThat(new HashSet<>(events.stream().map(KeyEvent::key).toList())).containsExactlyInAnyOrderElementsOf(keys);
					await().atMost(Duration.ofSeconds(5)).until(() -> expiries.deleted.size() == 1);
					assertThat(expiries.deleted.snapshot()).containsExactly(PREFIX + "deleted");
					assertThat((String) server.command("CONFIG", "GET", "notify-keyspace-events").toString())
						.as("the starter set what the listeners need").contains("x").contains("g").contains("E");
				});
		}
	}

	@Test
	void withoutTheServerFlagsAWarningNamesWhatIsMissing(CapturedOutput output) {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			PubSubContexts.runner(server).withBean(Expiries.class).run((context) -> {
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				await().atMost(Duration.ofSeconds(5))
					.until(() -> output.getOut().contains("notify-keyspace-events on ")
							&& output.getOut().contains("needs 'E"));
			});
		}
	}

	@Test
	void aMethodWithTheWrongParametersStopsStartUp() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			PubSubContexts.runner(server).withBean(WrongSignature.class).run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidAnnotationException.class)
				.hasMessageContaining("KeyEvent"));
		}
	}

}
