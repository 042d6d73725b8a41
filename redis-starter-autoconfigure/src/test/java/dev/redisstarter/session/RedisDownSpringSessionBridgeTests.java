package dev.redisstarter.session;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.DecodeFailureReporter;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * With Redis stopped, every call of the Spring Session bridge that needs Redis fails fast, within the session
 * deadline, with {@link SessionStoreUnavailableException} (never a hang on the client's 60 s timeout, never a
 * session that silently reads as absent, which would log the user out), and its message carries no session id.
 */
class RedisDownSpringSessionBridgeTests {

	@Test
	void everyCallFailsFastWithSessionStoreUnavailable() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce(server, Duration.ofSeconds(60));
			try {
				JsonCodec json = JsonCodec.withDefaults();
				// The plain constructor: the default session deadline (600 ms), not the client's 60 s, bounds each call.
				SpringSessionBridge bridge = new SpringSessionBridge(factory, new KeyNaming(""), SessionSettings.DEFAULTS,
						SessionAttributeCodec.standard(json, new DecodeFailureReporter(null), null), null);
				BridgedSession session = bridge.createSession();
				session.setAttribute("a", "b");
				bridge.save(session);
				String id = session.getId();
				server.stop();
				long start = System.nanoTime();
				assertThatExceptionOfType(SessionStoreUnavailableException.class).isThrownBy(() -> bridge.findById(id))
					.withMessageContaining("Redis is unavailable")
					.withMessageNotContaining(id);
				session.setAttribute("a", "c");
				assertThatExceptionOfType(SessionStoreUnavailableException.class).isThrownBy(() -> bridge.save(session));
				assertThatExceptionOfType(SessionStoreUnavailableException.class)
					.isThrownBy(() -> bridge.save(bridge.createSession()));
				assertThatExceptionOfType(SessionStoreUnavailableException.class).isThrownBy(() -> bridge.deleteById(id));
				assertThatExceptionOfType(SessionStoreUnavailableException.class)
					.isThrownBy(() -> bridge.findByPrincipalName("ann.longname@example.com"))
					.withMessageNotContaining("example.com");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			}
			finally {
				factory.destroy();
			}
		}
	}

}
