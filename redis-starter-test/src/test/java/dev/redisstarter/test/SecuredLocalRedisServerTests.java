package dev.redisstarter.test;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Servers that ask for a password, have ACL users, or speak TLS only, still started and driven by the launcher. */
class SecuredLocalRedisServerTests {

	@Test
	void aServerWithAPasswordAndAnAclUserRefusesStrangersAndAnswersTheLauncher() throws IOException {
		try (LocalRedisServer server = LocalRedisServer.builder()
			.password("admin-secret")
			.user("app on >app-secret ~app:* +@all")
			.build()
			.start()) {
			assertThat(server.command("PING")).isEqualTo("PONG");
			assertThat(server.command("ACL", "WHOAMI")).isEqualTo("default");
			try (RespConnection stranger = RespConnection.open(server.host(), server.port(), Duration.ofSeconds(2))) {
				assertThatExceptionOfType(RespConnection.RedisReplyException.class)
					.isThrownBy(() -> stranger.call("GET", "app:x"))
					.withMessageStartingWith("NOAUTH");
				assertThat(stranger.call("AUTH", "app", "app-secret")).isEqualTo("OK");
				assertThat(stranger.call("GET", "app:x")).isNull();
			}
			RedisServer app = server.as("app", "app-secret");
			assertThat(app.springDataRedisProperties())
				.containsEntry("spring.data.redis.url", "redis://app:app-secret@127.0.0.1:" + server.port());
		}
	}

	@Test
	void aTlsServerListensWithTlsOnly() throws IOException {
		TlsCertificates certificates = TlsCertificates.create();
		try (LocalRedisServer server = LocalRedisServer.builder().tls(certificates).build().start()) {
			assertThat(server.url()).isEqualTo("rediss://127.0.0.1:" + server.port());
			assertThat(server.command("PING")).isEqualTo("PONG");
			assertThat(server.version()).isNotEqualTo("unknown");
			try (RespConnection plain = RespConnection.open(server.host(), server.port(), Duration.ofSeconds(2))) {
				assertThatExceptionOfType(IOException.class).as("no plain-text answers").isThrownBy(() -> plain.call("PING"));
			}
			assertThat(server.springDataRedisProperties()).containsEntry("spring.data.redis.ssl.bundle", "redis")
				.containsEntry("spring.ssl.bundle.pem.redis.truststore.certificate", "file:" + certificates.certificate());
		}
		finally {
			certificates.delete();
		}
	}

}
