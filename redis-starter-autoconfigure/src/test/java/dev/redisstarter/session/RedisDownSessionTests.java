package dev.redisstarter.session;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * With Redis stopped, session calls fail fast with a clear exception instead of hanging, whose message carries
 * neither the session id nor the user id.
 */
class RedisDownSessionTests {

	@Test
	void callsFailFastWithSessionStoreUnavailable() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server, Duration.ofMillis(500));
			try {
				SessionService sessions = new RedisSessionService(factory, new KeyNaming(""),
						new JsonCodec(JsonMapper.builder().build(), new DecodeFailureReporter(null)), SessionSettings.DEFAULTS,
						new SessionMetrics(new SimpleMeterRegistry()), null);
				String id = sessions.create("ann", Map.of()).id();
				server.stop();
				long start = System.nanoTime();
				assertThatExceptionOfType(SessionStoreUnavailableException.class).isThrownBy(() -> sessions.get(id))
					.withMessageContaining("Redis is unavailable")
					.withMessageNotContaining(id);
				// Messages are logged (503 answers): they name a user by a few characters and the length only.
				String user = "ann.longname@example.com" + "x".repeat(200);
				assertThatExceptionOfType(SessionStoreUnavailableException.class)
					.isThrownBy(() -> sessions.create(user, Map.of()))
					.withMessageContaining("create a session for user 'ann.long…' (224 chars)")
					.withMessageNotContaining("example.com");
				assertThatExceptionOfType(SessionStoreUnavailableException.class)
					.isThrownBy(() -> sessions.destroyAllForUser(user))
					.withMessageNotContaining("example.com");
				assertThatExceptionOfType(SessionStoreUnavailableException.class)
					.isThrownBy(() -> sessions.listForUser(user))
					.withMessageNotContaining("example.com");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			}
			finally {
				factory.destroy();
			}
		}
	}

}
