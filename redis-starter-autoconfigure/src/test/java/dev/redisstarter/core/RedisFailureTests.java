package dev.redisstarter.core;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.TlsCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The classifier on the exception chains Lettuce really throws against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisFailureTests {

	private final TlsCertificates certificates = TlsCertificates.create();

	private final TlsCertificates otherCertificates = TlsCertificates.create();

	private final LocalRedisServer server = LocalRedisServer.builder()
		.password("admin-secret")
		.user("narrow on >narrow-secret ~allowed:* resetchannels -@all +get +ping +hello +client +subscribe")
		.build();

	private final LocalRedisServer tlsServer = LocalRedisServer.builder().tls(this.certificates).build();

	private RedisClient client;

	@BeforeAll
	void start() {
		this.server.start();
		this.tlsServer.start();
		this.client = RedisClient.create();
	}

	@AfterAll
	void stop() {
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		this.server.close();
		this.tlsServer.close();
		this.certificates.delete();
		this.otherCertificates.delete();
	}

	private Throwable connecting(RedisURI uri) {
		uri.setTimeout(Duration.ofSeconds(5));
		Throwable failure = null;
		// About 1 connect in 1,500 Lettuce 7 loses the server's reply: the refused handshake tears the pipeline down
		// before the connect completes, which then fails with "RedisHandshakeHandler not registered" and no cause.
		// The starter's next attempt reads the reply; so does this one.
		for (int attempt = 0; attempt < 3 && (failure == null || lostTheHandshakeReply(failure)); attempt++) {
			failure = catchThrowable(() -> this.client.connect(uri).close());
			assertThat(failure).as("connecting to " + uri.getHost() + ":" + uri.getPort()).isNotNull();
		}
		return failure;
	}

	private static boolean lostTheHandshakeReply(Throwable failure) {
		return failure.getCause() instanceof IllegalStateException state
				&& String.valueOf(state.getMessage()).contains("RedisHandshakeHandler not registered");
	}

	@Test
	void aWrongPasswordIsAnAuthenticationFailure() {
		RedisFailure failure = RedisFailure.of(connecting(RedisURI.builder()
			.withHost("127.0.0.1").withPort(this.server.port()).withAuthentication("narrow", "wrong").build()));
		assertThat(failure.kind()).isEqualTo(RedisFailure.Kind.AUTHENTICATION);
		assertThat(failure.message()).startsWith("WRONGPASS").doesNotContain("wrong\"").doesNotContain("narrow-secret");
	}

	@Test
	void aWrongPasswordOfTheDefaultUserIsAnAuthenticationFailure() {
		RedisFailure failure = RedisFailure.of(connecting(RedisURI.builder()
			.withHost("127.0.0.1").withPort(this.server.port()).withPassword("wrong".toCharArray()).build()));
		assertThat(failure.kind()).isEqualTo(RedisFailure.Kind.AUTHENTICATION);
	}

	@Test
	void missingCredentialsAreAnAuthenticationFailure() {
		RedisURI uri = RedisURI.create("127.0.0.1", this.server.port());
		Throwable failure;
		try {
			// Lettuce may connect (HELLO without AUTH is refused, then it falls back) and fail at the first command.
			uri.setTimeout(Duration.ofSeconds(5));
			StatefulRedisConnection<String, String> connection = this.client.connect(uri);
			failure = catchThrowable(() -> connection.sync().get("allowed:x"));
			connection.close();
		}
		catch (RuntimeException ex) {
			failure = ex;
		}
		RedisFailure classified = RedisFailure.of(failure);
		assertThat(classified.kind()).isEqualTo(RedisFailure.Kind.AUTHENTICATION);
		assertThat(classified.message()).startsWith("NOAUTH");
	}

	@Test
	void aRefusedCommandIsAPermissionFailureNamingTheCommand() {
		try (StatefulRedisConnection<String, String> connection = this.client.connect(RedisURI.builder()
			.withHost("127.0.0.1").withPort(this.server.port()).withAuthentication("narrow", "narrow-secret").build())) {
			RedisFailure failure = RedisFailure.of(catchThrowable(() -> connection.sync().set("allowed:x", "v")));
			assertThat(failure.kind()).isEqualTo(RedisFailure.Kind.PERMISSION);
			assertThat(failure.command()).isEqualTo("set");
			assertThat(failure.message()).startsWith("NOPERM");
		}
	}

	@Test
	void aRefusedKeyIsAPermissionFailure() {
		try (StatefulRedisConnection<String, String> connection = this.client.connect(RedisURI.builder()
			.withHost("127.0.0.1").withPort(this.server.port()).withAuthentication("narrow", "narrow-secret").build())) {
			RedisFailure failure = RedisFailure.of(catchThrowable(() -> connection.sync().get("elsewhere:x")));
			assertThat(failure.kind()).isEqualTo(RedisFailure.Kind.PERMISSION);
			assertThat(failure.message()).startsWith("NOPERM").contains("key");
		}
	}

	@Test
	void aRefusedChannelIsAPermissionFailure() {
		try (var connection = this.client.connectPubSub(RedisURI.builder()
			.withHost("127.0.0.1").withPort(this.server.port()).withAuthentication("narrow", "narrow-secret").build())) {
			Throwable refused = catchThrowable(() -> connection.sync().subscribe("elsewhere:channel"));
			RedisFailure failure = RedisFailure.of(refused);
			assertThat(failure.kind()).as(String.valueOf(refused)).isEqualTo(RedisFailure.Kind.PERMISSION);
			assertThat(failure.message()).contains("channel");
		}
	}

	@Test
	void anUntrustedCertificateIsATlsFailure() {
		RedisClient other = RedisClient.create();
		try {
			other.setOptions(ClientOptions.builder()
				.sslOptions(SslOptions.builder().trustManager(this.otherCertificates.certificate().toFile()).build())
				.build());
			RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(this.tlsServer.port()).withSsl(true).build();
			uri.setTimeout(Duration.ofSeconds(5));
			Throwable thrown = catchThrowable(() -> other.connect(uri).close());
			RedisFailure failure = RedisFailure.of(thrown);
			assertThat(failure.kind()).as(String.valueOf(thrown)).isEqualTo(RedisFailure.Kind.TLS);
			assertThat(failure.message()).startsWith("SSLHandshakeException").contains("PKIX");
		}
		finally {
			other.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	@Test
	void aTrustedCertificateConnects() {
		RedisClient trusting = RedisClient.create();
		try {
			trusting.setOptions(ClientOptions.builder()
				.sslOptions(SslOptions.builder().trustManager(this.certificates.certificate().toFile()).build())
				.build());
			try (StatefulRedisConnection<String, String> connection = trusting
				.connect(RedisURI.builder().withHost("127.0.0.1").withPort(this.tlsServer.port()).withSsl(true).build())) {
				assertThat(connection.sync().ping()).isEqualTo("PONG");
			}
		}
		finally {
			trusting.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	private static int closedPort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@Test
	void aClosedPortIsUnreachable() {
		RedisFailure failure = RedisFailure.of(connecting(RedisURI.create("127.0.0.1", closedPort())));
		assertThat(failure.kind()).isEqualTo(RedisFailure.Kind.UNREACHABLE);
		assertThat(failure.message()).isNotEmpty();
	}

}
