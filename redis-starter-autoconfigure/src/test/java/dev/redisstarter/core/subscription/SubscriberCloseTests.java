package dev.redisstarter.core.subscription;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subscriber closed while its loop thread is inside its first reconcile leaves no connection open: each cache
 * service and lock service owns such a subscriber, and a connection left behind would stay open (Lettuce reconnecting
 * it) for as long as the factory's client lives.
 */
class SubscriberCloseTests {

	private LocalRedisServer server;

	private LettuceConnectionFactory factory;

	private RedisAccess access;

	@AfterEach
	void stop() {
		if (this.access != null) {
			this.access.close();
		}
		if (this.factory != null) {
			this.factory.destroy();
		}
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void closingASubscriberRightAfterStartLeavesNoConnectionOpen() throws Exception {
		this.server = LocalRedisServer.builder().build().start();
		this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", this.server.port()),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		this.factory.afterPropertiesSet();
		this.factory.start();
		this.access = new RedisAccess(this.factory, ResilienceSettings.DEFAULTS, null, "leak:").start();
		this.access.awaitConnection(Duration.ofSeconds(5));
		Thread.sleep(500);
		long baseline = clients();
		int threadsBefore = Thread.activeCount();
		for (int i = 0; i < 300; i++) {
			PubSubSubscriber subscriber = new PubSubSubscriber(this.access, "leak notices");
			subscriber.subscribeDirect(new Route(Route.Kind.CHANNEL, "leak:notices"), (route, channel, body) -> {
			});
			subscriber.start();
			long spin = System.nanoTime() + ThreadLocalRandom.current().nextLong(0, 300_000);
			while (System.nanoTime() < spin) {
				Thread.onSpinWait();
			}
			subscriber.close();
		}
		Thread.sleep(3000);
		long after = clients();
		System.out.println("REVIEW clients before " + baseline + ", after " + after + "; threads before "
				+ threadsBefore + ", after " + Thread.activeCount());
		assertThat(after).as("connections left open by closed subscribers").isEqualTo(baseline);
	}

	private long clients() {
		String list = String.valueOf(this.server.command("CLIENT", "LIST"));
		// The command's own connection is in the list too.
		return list.lines().filter((line) -> !line.isBlank()).count() - 1;
	}

}
