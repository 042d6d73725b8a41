package dev.redisstarter.cache;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis user refused the near cache's notice channel (granted the tag channel only, as the tag notices'
 * refusal message suggests): writes are not failed, the refusal is logged once, not once per write, and no copy
 * is served, since this instance cannot hear the notices either.
 */
@ExtendWith(OutputCaptureExtension.class)
class NearCachePermissionTests {

	private final LocalRedisServer server = LocalRedisServer.builder()
		.password("admin")
		.user("app on >app-secret ~nearperm:* &nearperm:cache:invalidations +@all")
		.build()
		.start();

	private LettuceConnectionFactory factory;

	private RedisCacheService cache;

	@AfterEach
	void close() {
		if (this.cache != null) {
			this.cache.close();
		}
		if (this.factory != null) {
			this.factory.destroy();
		}
		this.server.close();
	}

	@Test
	void aRefusedNoticeChannelFailsNoWriteAndIsLoggedOnceNotOncePerWrite(CapturedOutput output) {
		this.factory = ConnectionFactories.lettuce(this.server.as("app", "app-secret"));
		this.cache = new RedisCacheService(this.factory, new KeyNaming("nearperm:"),
				new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)), NearCacheContractTests.NEAR);
		await().atMost(Duration.ofSeconds(10)).until(this.cache::tagVersionsTrusted);
		for (int i = 0; i < 5; i++) {
			this.cache.set("product:" + i, "v" + i, Duration.ofMinutes(1));
			assertThat(this.cache.get("product:" + i, String.class)).contains("v" + i);
			this.cache.delete("product:" + i);
			assertThat(this.cache.get("product:" + i, String.class)).isEmpty();
		}
		assertThat(this.cache.nearCacheTrusted()).as("its own subscription is refused too").isFalse();
		assertThat(this.cache.nearCacheEntries("product")).isZero();
		assertThat(output).contains("NOPERM");
		assertThat(output).doesNotContain("Could not tell other instances");
	}

}
