package dev.redisstarter.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link RedisCalls#scriptAsyncConnectingWithin}: with 0 (a thread that must never wait, the coalescer's reply
 * thread) a call while the starter's connection is not established is refused at once and never runs; with time to
 * wait it opens the connection and runs; once connected, 0 runs as any call.
 */
class ScriptAsyncConnectingWithinTests {

	@Test
	void aZeroWaitIsRefusedAtOnceAndNotRunWithoutAConnectionAndRunsOnceThereIsOne() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server, Duration.ofSeconds(2));
			// Not started: nothing connects until a call does.
			RedisAccess access = new RedisAccess(factory, ResilienceSettings.DEFAULTS, null, "cw:");
			try {
				String text = "return redis.call('INCR', KEYS[1])";
				String sha1 = HexFormat.of()
					.formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
				LuaScript<Long> script = new LuaScript<>("test/incr.lua", text, sha1, Long.class);
				RedisCalls calls = access.calls(Feature.QUEUE, Duration.ofSeconds(2));
				byte[] key = "cw:runs".getBytes(StandardCharsets.UTF_8);

				long start = System.nanoTime();
				CompletableFuture<Long> refused = calls.scriptAsyncConnectingWithin(0, script, ScriptOutputType.INTEGER, 1,
						key);
				assertThat(refused).as("refused at once, on the calling thread").isDone();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> refused.get(0, TimeUnit.SECONDS))
					.withCauseInstanceOf(RedisUnavailableException.class)
					.withMessageContaining("not established");

				CompletableFuture<Long> waited = calls.scriptAsyncConnectingWithin(Duration.ofSeconds(2).toNanos(), script,
						ScriptOutputType.INTEGER, 1, key);
				assertThat(waited.get(5, TimeUnit.SECONDS)).as("the first run: the refused call never ran").isEqualTo(1L);

				CompletableFuture<Long> connected = calls.scriptAsyncConnectingWithin(0, script, ScriptOutputType.INTEGER,
						1, key);
				assertThat(connected.get(5, TimeUnit.SECONDS)).as("0 on an established connection runs").isEqualTo(2L);
			}
			finally {
				access.close();
				factory.destroy();
			}
		}
	}

}
