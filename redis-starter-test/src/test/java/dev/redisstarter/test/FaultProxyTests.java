package dev.redisstarter.test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class FaultProxyTests {

	private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

	private LocalRedisServer server;

	private FaultProxy proxy;

	@BeforeEach
	void startServerAndProxy() {
		this.server = LocalRedisServer.builder().build().start();
		this.proxy = FaultProxy.inFrontOf(this.server);
	}

	@AfterEach
	void stopServerAndProxy() {
		this.proxy.close();
		this.server.close();
	}

	@Test
	void passesCommandsToTheServerAndCountsTheBytesBothWays() throws IOException {
		try (RespConnection connection = connect(SHORT_TIMEOUT)) {
			assertThat(connection.call("SET", "through-proxy", "v")).isEqualTo("OK");
			assertThat(connection.call("PING")).isEqualTo("PONG");
			assertThat(this.proxy.openConnections()).isEqualTo(1);
		}
		assertThat(this.server.command("GET", "through-proxy")).as("written on the real server").isEqualTo("v");
		assertThat(this.proxy.acceptedConnections()).isEqualTo(1);
		int request = "*3\r\n$3\r\nSET\r\n$13\r\nthrough-proxy\r\n$1\r\nv\r\n*1\r\n$4\r\nPING\r\n".length();
		assertThat(this.proxy.bytesToServer()).isEqualTo(request);
		assertThat(this.proxy.bytesToClient()).isEqualTo("+OK\r\n+PONG\r\n".length());
		Await.until("the closed connection to be dropped", Duration.ofSeconds(2), () -> this.proxy.openConnections() == 0);
		assertThat(this.proxy.url()).isEqualTo("redis://127.0.0.1:" + this.proxy.port());
		assertThat(this.proxy.port()).isNotEqualTo(this.server.port());
	}

	@Test
	void blackHoledConnectionsStayOpenButNeverAnswer() throws IOException {
		try (RespConnection existing = connect(SHORT_TIMEOUT)) {
			assertThat(existing.call("PING")).isEqualTo("PONG");
			long forwarded = this.proxy.bytesToServer();

			this.proxy.set(Fault.BLACK_HOLE);
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> existing.call("PING"));
			try (RespConnection fresh = connect(SHORT_TIMEOUT)) {
				assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> fresh.call("PING"));
				assertThat(this.proxy.openConnections()).as("both connections still open").isEqualTo(2);
			}
			assertThat(this.proxy.acceptedConnections()).isEqualTo(2);
			assertThat(this.proxy.bytesToServer()).as("nothing reached the server").isEqualTo(forwarded);
		}
	}

	@Test
	void resetConnectionsSeeAConnectionResetRatherThanAnOrderlyClose() throws IOException {
		try (RespConnection existing = connect(SHORT_TIMEOUT)) {
			assertThat(existing.call("PING")).isEqualTo("PONG");
			long forwarded = this.proxy.bytesToServer();

			this.proxy.set(Fault.RESET);
			assertThatExceptionOfType(SocketException.class).isThrownBy(() -> existing.call("PING"))
				.withMessageContaining("reset");
			assertThatExceptionOfType(SocketException.class).as("connecting or the first command is reset")
				.isThrownBy(() -> {
					try (RespConnection fresh = connect(SHORT_TIMEOUT)) {
						fresh.call("PING");
					}
				})
				.withMessageContaining("reset");
			assertThat(this.proxy.acceptedConnections()).as("new connections are accepted, then reset").isEqualTo(2);
			assertThat(this.proxy.bytesToServer()).isEqualTo(forwarded);
			// The proxy's own threads drop the reset connections just after the client sees the reset.
			Await.until("the reset connections to be dropped", Duration.ofSeconds(2),
					() -> this.proxy.openConnections() == 0);
		}
	}

	@Test
	void refusedConnectionsFailToConnectUntilTrafficPassesAgainOnTheSamePort() throws IOException {
		int port = this.proxy.port();
		try (RespConnection existing = connect(SHORT_TIMEOUT)) {
			assertThat(existing.call("PING")).isEqualTo("PONG");

			this.proxy.set(Fault.REFUSE);
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> connect(SHORT_TIMEOUT))
				.withMessageContaining("refused");
			assertThatIOException().as("the open connection was closed").isThrownBy(() -> existing.call("PING"));
		}
		RedisClient client = lettuce();
		try {
			assertThatExceptionOfType(RedisConnectionException.class).isThrownBy(client::connect)
				.withRootCauseInstanceOf(ConnectException.class);
			assertThat(this.proxy.acceptedConnections()).as("refused connections are never accepted").isEqualTo(1);

			this.proxy.pass();
			assertThat(this.proxy.port()).isEqualTo(port);
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				assertThat(connection.sync().ping()).isEqualTo("PONG");
			}
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void aFaultForNewConnectionsLeavesOpenConnectionsWorking() throws IOException {
		try (RespConnection existing = connect(SHORT_TIMEOUT)) {
			assertThat(existing.call("PING")).isEqualTo("PONG");

			this.proxy.setForNewConnections(Fault.BLACK_HOLE);
			try (RespConnection fresh = connect(SHORT_TIMEOUT)) {
				assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> fresh.call("PING"));
			}
			assertThat(existing.call("PING")).isEqualTo("PONG");

			this.proxy.setForNewConnections(Fault.REFUSE);
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> connect(SHORT_TIMEOUT));
			assertThat(existing.call("PING")).isEqualTo("PONG");
			assertThat(this.proxy.fault()).isEqualTo(Fault.REFUSE);

			this.proxy.setForNewConnections(Fault.PASS);
			try (RespConnection fresh = connect(SHORT_TIMEOUT)) {
				assertThat(fresh.call("PING")).isEqualTo("PONG");
			}
		}
	}

	@Test
	void latencyDelaysEveryReplyByAtLeastTheSetDelay() throws IOException {
		Duration latency = Duration.ofMillis(400);
		try (RespConnection connection = connect(Duration.ofSeconds(3))) {
			this.proxy.setLatency(latency).set(Fault.LATENCY);
			for (int i = 0; i < 2; i++) {
				long start = System.nanoTime();
				assertThat(connection.call("PING")).isEqualTo("PONG");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(latency);
			}

			this.proxy.pass();
			long start = System.nanoTime();
			assertThat(connection.call("PING")).isEqualTo("PONG");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(latency);
		}
	}

	@Test
	void aLettuceClientFailsWhileConnectionsAreResetAndRecoversOnceTrafficPasses() {
		ClientResources resources = quickReconnects();
		RedisClient client = RedisClient.create(resources, proxyUri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().set("recovers", "1");

			this.proxy.set(Fault.RESET);
			Await.until("Lettuce to see the reset", Duration.ofSeconds(2), () -> !connection.isOpen());
			assertThatExceptionOfType(RedisException.class).isThrownBy(() -> connection.sync().get("recovers"));
			assertThat(connection.isOpen()).as("reconnections are reset too").isFalse();
			assertThat(this.proxy.acceptedConnections()).as("Lettuce tried to reconnect").isGreaterThan(1);

			this.proxy.pass();
			Await.until("Lettuce to reconnect", Duration.ofSeconds(3), connection::isOpen);
			assertThat(connection.sync().get("recovers")).isEqualTo("1");
		}
		finally {
			client.shutdown();
			resources.shutdown();
		}
	}

	@Test
	void aLettuceClientCarriesOnAfterABlackHoleWhenItIsResetBeforeTrafficPasses() {
		ClientResources resources = quickReconnects();
		RedisClient client = RedisClient.create(resources, proxyUri());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().set("after-black-hole", "1");

			this.proxy.set(Fault.BLACK_HOLE);
			assertThatExceptionOfType(RedisCommandTimeoutException.class)
				.isThrownBy(() -> connection.sync().get("after-black-hole"));
			assertThat(connection.isOpen()).as("a black hole does not close the connection").isTrue();

			this.proxy.set(Fault.RESET).pass();
			Await.until("Lettuce to reconnect", Duration.ofSeconds(3), connection::isOpen);
			assertThat(connection.sync().get("after-black-hole")).isEqualTo("1");
			assertThat(connection.sync().ping()).isEqualTo("PONG");
		}
		finally {
			client.shutdown();
			resources.shutdown();
		}
	}

	@Test
	void closeStopsListeningAndClosesEveryConnection() throws IOException {
		try (RespConnection connection = connect(SHORT_TIMEOUT)) {
			assertThat(connection.call("PING")).isEqualTo("PONG");

			this.proxy.close();
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> connect(SHORT_TIMEOUT));
			assertThatIOException().isThrownBy(() -> connection.call("PING"));
			assertThat(this.proxy.openConnections()).isZero();
			assertThatIllegalStateException().isThrownBy(() -> this.proxy.set(Fault.PASS));
		}
	}

	private RespConnection connect(Duration timeout) throws IOException {
		return RespConnection.open(this.proxy.host(), this.proxy.port(), timeout);
	}

	private RedisClient lettuce() {
		return RedisClient.create(proxyUri());
	}

	private static ClientResources quickReconnects() {
		return DefaultClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(50))).build();
	}

	private RedisURI proxyUri() {
		return RedisURI.builder().withHost(this.proxy.host()).withPort(this.proxy.port()).withTimeout(Duration.ofSeconds(1)).build();
	}

}
