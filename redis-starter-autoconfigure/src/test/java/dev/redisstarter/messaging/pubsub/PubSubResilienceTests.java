package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.annotation.RedisListener;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.RedisSentinelGroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Listeners come back by themselves when Redis does: after a restart, a freeze, a Sentinel failover, and when the
 * application started before Redis. What is published while a listener is away is lost (pub/sub is at-most-once);
 * these tests publish until one message gets through, and bound how long that takes.
 */
class PubSubResilienceTests {

	static class Events {

		final PubSubContexts.Received<String> received = new PubSubContexts.Received<>();

		@RedisListener("events")
		void event(String text) {
			this.received.add(text);
		}

	}

	private static ApplicationContextRunner runner(RedisDeployment redis) {
		return PubSubContexts.runner(redis)
			.withPropertyValues("spring.application.name=resilience-" + UUID.randomUUID(),
					"redis.starter.resilience.liveness-timeout=500ms", "redis.starter.resilience.open-duration=300ms")
			.withBean(Events.class);
	}

	/** Publishes until the listener has a message again; returns how long it took. */
	private static Duration publishUntilReceived(MessageBus bus, Events events, Duration atMost) {
		long start = System.nanoTime();
		int before = events.received.size();
		await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
			try {
				bus.publish("events", "back");
			}
			catch (MessagingUnavailableException ex) {
				// Redis is not there yet.
			}
			return events.received.size() > before;
		});
		return Duration.ofNanos(System.nanoTime() - start);
	}

	@Test
	void listenersReceiveAgainWithinSecondsAfterRedisRestarts() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				Events events = context.getBean(Events.class);
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				publishUntilReceived(bus, events, Duration.ofSeconds(5));

				server.stop();
				assertThatExceptionOfType(MessagingUnavailableException.class)
					.isThrownBy(() -> bus.publish("events", "while down"));
				// Failed calls open the circuit.
				await().atMost(Duration.ofSeconds(5)).until(() -> {
					try {
						bus.publish("events", "while down");
					}
					catch (MessagingUnavailableException ex) {
						// Expected.
					}
					return !context.getBean(dev.redisstarter.core.RedisAccess.class).circuit().allowsCalls();
				});
				long start = System.nanoTime();
				assertThatExceptionOfType(MessagingUnavailableException.class)
					.isThrownBy(() -> bus.request("quotes", "x", String.class, Duration.ofSeconds(5)))
					.withMessageContaining("send a request on");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused at once while the circuit is open")
					.isLessThan(Duration.ofSeconds(1));
				server.start();
				assertThat(publishUntilReceived(bus, events, Duration.ofSeconds(15))).isLessThan(Duration.ofSeconds(10));
				assertThat(events.received.snapshot()).doesNotContain("while down");
			});
		}
	}

	@Test
	void listenersReceiveAgainAfterTheContextIsStoppedAndStartedAgain() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				Events events = context.getBean(Events.class);
				publishUntilReceived(bus, events, Duration.ofSeconds(5));
				// What a paused and resumed Spring test context does: the factory's client is replaced.
				context.getSourceApplicationContext().stop();
				context.getSourceApplicationContext().start();
				assertThat(publishUntilReceived(bus, events, Duration.ofSeconds(15))).isLessThan(Duration.ofSeconds(10));
			});
		}
	}

	@Test
	void aFrozenSubscriptionIsReplacedAndListenersReceiveAgainAfterTheThaw() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			runner(server).run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				Events events = context.getBean(Events.class);
				PubSubSubscriber subscriber = context.getBean(PubSubSubscriber.class);
				subscriber.awaitSettled(Duration.ofSeconds(5));
				publishUntilReceived(bus, events, Duration.ofSeconds(5));

				server.freeze();
				try {
					await().atMost(Duration.ofSeconds(5)).until(() -> !subscriber.isSettled());
				}
				finally {
					server.thaw();
				}
				assertThat(publishUntilReceived(bus, events, Duration.ofSeconds(15))).isLessThan(Duration.ofSeconds(10));
			});
		}
	}

	@Test
	void theApplicationStartsWithoutRedisAndListenersSubscribeOnceItStarts() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		LocalRedisServer server = LocalRedisServer.builder().port(port).build();
		try {
			runner(server).run((context) -> {
				assertThat(context).hasNotFailed();
				MessageBus bus = context.getBean(MessageBus.class);
				long start = System.nanoTime();
				assertThatExceptionOfType(MessagingUnavailableException.class)
					.isThrownBy(() -> bus.publish("events", "nobody"));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
				server.start();
				assertThat(publishUntilReceived(bus, context.getBean(Events.class), Duration.ofSeconds(15)))
					.isLessThan(Duration.ofSeconds(10));
			});
		}
		finally {
			server.close();
		}
	}

	@Test
	void listenersReceiveAgainAfterASentinelFailover() {
		try (RedisSentinelGroup group = RedisSentinelGroup.create().start()) {
			runner(group).run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				Events events = context.getBean(Events.class);
				context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(5));
				publishUntilReceived(bus, events, Duration.ofSeconds(5));

				group.stopMaster();
				group.awaitFailover(Duration.ofSeconds(30));
				publishUntilReceived(bus, events, Duration.ofSeconds(20));
				assertThat(events.received.size()).isGreaterThanOrEqualTo(2);
			});
		}
	}

}
