package dev.redisstarter.core;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A script run without waiting lets go of its arguments once answered, not only at its deadline: else every call of
 * the last deadline stays in memory (payloads included), however fast Redis answers.
 */
class AsyncScriptTests {

	@Test
	void anAnsweredCallHoldsItsArgumentsNoLongerThanItsAnswer() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", server.port()),
					LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
			factory.afterPropertiesSet();
			factory.start();
			RedisAccess access = new RedisAccess(factory, ResilienceSettings.DEFAULTS, null, "as:").start();
			try {
				String text = "return #ARGV";
				String sha1 = HexFormat.of()
					.formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
				LuaScript<Long> script = new LuaScript<>("test/argv-count.lua", text, sha1, Long.class);
				// A deadline far longer than the test: only a timer still waiting for it could hold the argument.
				RedisCalls calls = access.calls(Feature.STREAM, Duration.ofMinutes(10));
				byte[] payload = new byte[1 << 20];
				WeakReference<byte[]> sent = new WeakReference<>(payload);
				CompletableFuture<Long> reply = calls.scriptAsync(script, ScriptOutputType.INTEGER, 0, payload);
				payload = null;
				assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
				await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
					System.gc();
					return sent.get() == null;
				});
			}
			finally {
				access.close();
				factory.destroy();
			}
		}
	}

}
