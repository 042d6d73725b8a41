package dev.redisstarter.core.subscription;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.test.Fault;
import dev.redisstarter.test.FaultProxy;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter's own notices (cache invalidations, lock releases) ride the same subscription stack as the
 * application's listeners, and rely on being told when their route is confirmed and when it is lost: a tag version
 * learned while notices could be missed must not be trusted. These tests drive a real server through a fault proxy.
 */
class RouteStatesTests {

	private LocalRedisServer server;

	private FaultProxy proxy;

	private LettuceConnectionFactory factory;

	private RedisAccess access;

	private PubSubSubscriber subscriber;

	@AfterEach
	void stop() {
		if (this.subscriber != null) {
			this.subscriber.close();
		}
		if (this.access != null) {
			this.access.close();
		}
		if (this.factory != null) {
			this.factory.destroy();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	private void start() {
		this.server = LocalRedisServer.builder().build().start();
		this.proxy = FaultProxy.inFrontOf(this.server);
		this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(this.proxy.host(), this.proxy.port()),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		this.factory.afterPropertiesSet();
		this.factory.start();
		this.access = new RedisAccess(this.factory,
				ResilienceSettings.DEFAULTS.withLiveness(Duration.ofMillis(200), Duration.ofMillis(300)), null, "states:")
			.start();
		this.subscriber = new PubSubSubscriber(this.access, "test notices");
	}

	@Test
	void aDirectListenerIsToldSubscribedThenLostWhenItsConnectionGoesSilentThenSubscribedAgain() throws Exception {
		start();
		Route route = new Route(Route.Kind.CHANNEL, "states:notices");
		Recorder recorder = new Recorder();
		this.subscriber.subscribeDirect(route, recorder);
		this.subscriber.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("subscribed"));
		publishUntilReceived("before");
		assertThat(recorder.threads).allSatisfy((name) -> assertThat(name).doesNotContain("pubsub-delivery"));

		// A black hole: no error, no event; only the PING tells.
		this.proxy.set(Fault.BLACK_HOLE);
		await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("lost"));
		assertThat(this.subscriber.isConfirmed(route)).isFalse();

		this.proxy.set(Fault.PASS);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> recorder.events.lastIndexOf("subscribed") > recorder.events.indexOf("lost"));
		publishUntilReceived("after");
		assertThat(recorder.events).as("told once per change").containsExactly("subscribed", "lost", "subscribed");
	}

	@Test
	void aListenerThatSubscribesToAConfirmedRouteIsToldAtOnceAndClosingTellsLost() {
		start();
		Route route = new Route(Route.Kind.CHANNEL, "states:shared");
		Recorder first = new Recorder();
		this.subscriber.subscribeDirect(route, first);
		this.subscriber.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> first.events.contains("subscribed"));

		Recorder second = new Recorder();
		this.subscriber.subscribeDirect(route, second);
		assertThat(second.events).containsExactly("subscribed");

		this.subscriber.close();
		assertThat(first.events).containsExactly("subscribed", "lost");
		assertThat(second.events).containsExactly("subscribed", "lost");
	}

	private void publishUntilReceived(String text) throws Exception {
		Recorder probe = new Recorder();
		AutoCloseable subscription = this.subscriber.subscribeDirect(new Route(Route.Kind.CHANNEL, "states:notices"),
				probe);
		try {
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
				this.server.command("PUBLISH", "states:notices", text);
				return probe.messages.contains(text);
			});
		}
		finally {
			subscription.close();
		}
	}

	/** Records what it is told, in order, and on which threads messages came. */
	private static final class Recorder implements RouteListener {

		final List<String> events = new CopyOnWriteArrayList<>();

		final List<String> messages = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Override
		public void message(Route route, String channel, byte[] body) {
			this.messages.add(new String(body, StandardCharsets.UTF_8));
			this.threads.add(Thread.currentThread().getName());
		}

		@Override
		public void subscribed(Route route) {
			this.events.add("subscribed");
		}

		@Override
		public void lost(Route route) {
			this.events.add("lost");
		}

	}

}
