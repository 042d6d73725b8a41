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

/** With Redis stopped, session calls fail fast with a clear exception instead of hanging. */
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
					.withMessageContaining("Redis is unavailable");
				assertThatExceptionOfType(SessionStoreUnavailableException.class)
					.isThrownBy(() -> sessions.create("ann", Map.of()))
					.withMessageContaining("ann");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			}
			finally {
				factory.destroy();
			}
		}
	}

}
