package dev.redisstarter.cache;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.ResilienceSettings;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cache trusts locally known tag versions only while its invalidation channel is subscribed: trust is dropped
 * when Redis freezes longer than the liveness timeout and when it restarts empty, and a notice sent once trust is back
 * is received.
 */
class TagVersionsTrustTests {

	@Test
	void trustIsDroppedOnAFreezeAndARestartAndNoticesArriveOnceTrustedAgain() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce("127.0.0.1", server.port(), Duration.ofSeconds(2));
			RedisAccess access = new RedisAccess(factory,
					ResilienceSettings.DEFAULTS.withLiveness(Duration.ofMillis(200), Duration.ofMillis(300)), null, "tv:")
				.start();
			TagVersions versions = new TagVersions(access, "tv:inv", true);
			try {
				await().atMost(Duration.ofSeconds(5)).until(versions::trusted);
				assertNoticeForgets(server, versions, "t1");

				server.freeze();
				try {
					await().atMost(Duration.ofSeconds(5)).until(() -> !versions.trusted());
				}
				finally {
					server.thaw();
				}
				await().atMost(Duration.ofSeconds(15)).until(versions::trusted);
				assertNoticeForgets(server, versions, "t2");

				server.stop();
				await().atMost(Duration.ofSeconds(5)).until(() -> !versions.trusted());
				server.start();
				await().atMost(Duration.ofSeconds(15)).until(versions::trusted);
				assertNoticeForgets(server, versions, "t3");
			}
			finally {
				versions.close();
				assertThat(versions.trusted()).isFalse();
				access.close();
				factory.destroy();
			}
		}
	}

	/** Once trusted, every notice published must reach it: learn a version, publish, and see it forgotten. */
	private static void assertNoticeForgets(LocalRedisServer server, TagVersions versions, String tag) {
		long epoch = versions.epoch();
		versions.learn(tag, "v1", epoch);
		assertThat(versions.known(tag)).isEqualTo("v1");
		server.command("PUBLISH", "tv:inv", tag);
		await().atMost(Duration.ofSeconds(2)).until(() -> versions.known(tag) == null);
	}

}
