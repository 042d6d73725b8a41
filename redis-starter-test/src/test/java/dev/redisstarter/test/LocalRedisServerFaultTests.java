package dev.redisstarter.test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@Tag("compat")
class LocalRedisServerFaultTests {

	private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

	@Test
	void anAppendOnlyServerKeepsItsDataAcrossARestartUnlessItsDataFilesAreDeleted() {
		try (LocalRedisServer server = LocalRedisServer.builder().config("appendonly", "yes").build().start()) {
			server.command("SET", "k", "v");
			assertThatIllegalStateException().isThrownBy(server::deleteDataFiles).withMessageContaining("stop it first");

			server.stop();
			server.start();
			assertThat(server.command("GET", "k")).isEqualTo("v");

			server.stop();
			server.deleteDataFiles();
			server.start();
			assertThat(server.command("GET", "k")).isNull();
		}
	}

	@Test
	void frozenServerKeepsConnectionsButAnswersNothingUntilThawed() throws IOException {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start();
				RespConnection existing = connect(server, SHORT_TIMEOUT)) {
			assertThat(existing.call("PING")).isEqualTo("PONG");

			server.freeze();
			assertThat(server.isFrozen()).isTrue();
			assertThat(server.isRunning()).isTrue();
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> existing.call("PING"));
			try (RespConnection fresh = connect(server, SHORT_TIMEOUT)) {
				assertThatExceptionOfType(SocketTimeoutException.class).as("the kernel accepts, Redis never answers")
					.isThrownBy(() -> fresh.call("PING"));
			}

			server.thaw();
			assertThat(server.isFrozen()).isFalse();
			try (RespConnection fresh = connect(server, SHORT_TIMEOUT)) {
				assertThat(fresh.call("PING")).isEqualTo("PONG");
			}
		}
	}

	@Test
	void aLettuceClientTimesOutOnAFrozenServerAndCarriesOnAfterThaw() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			RedisClient client = RedisClient
				.create(RedisURI.builder().withHost(server.host()).withPort(server.port()).withTimeout(SHORT_TIMEOUT).build());
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				connection.sync().set("frozen", "1");

				server.freeze();
				assertThatExceptionOfType(RedisCommandTimeoutException.class).isThrownBy(() -> connection.sync().get("frozen"));
				assertThat(connection.isOpen()).isTrue();

				server.thaw();
				assertThat(connection.sync().get("frozen")).isEqualTo("1");
			}
			finally {
				client.shutdown();
			}
		}
	}

	@Test
	void stopAndCloseEndAFrozenServerAndARestartedServerFreezesAgain() throws IOException {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			int port = server.port();
			long firstPid = server.pid().orElseThrow();
			server.freeze();

			long start = System.nanoTime();
			server.stop();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stopped without waiting for SIGKILL")
				.isLessThan(Duration.ofSeconds(5));
			assertThat(server.isRunning()).isFalse();
			assertThat(server.isFrozen()).isFalse();
			assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

			server.start();
			assertThat(server.port()).isEqualTo(port);
			server.freeze();
			try (RespConnection connection = connect(server, SHORT_TIMEOUT)) {
				assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> connection.call("PING"));
			}
			server.thaw();
			assertThat(server.command("PING")).isEqualTo("PONG");

			long secondPid = server.pid().orElseThrow();
			server.freeze();
			server.close();
			assertThat(ProcessHandle.of(secondPid).filter(ProcessHandle::isAlive)).isEmpty();
		}
	}

	@Test
	void onlyARunningServerCanBeFrozen() {
		try (LocalRedisServer server = LocalRedisServer.builder().build()) {
			assertThatIllegalStateException().isThrownBy(server::freeze).withMessageContaining("not running");
			assertThat(server.thaw().isFrozen()).isFalse();
		}
	}

	@Test
	void pausedClientsGetTheirRepliesOnlyWhenThePauseEnds() throws IOException {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			server.command("SET", "paused", "v");

			server.pauseClients(Duration.ofMillis(600));
			long start = System.nanoTime();
			try (RespConnection connection = connect(server, Duration.ofSeconds(3))) {
				assertThat(connection.call("GET", "paused")).isEqualTo("v");
			}
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

			start = System.nanoTime();
			assertThat(server.command("GET", "paused")).isEqualTo("v");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no pause any more").isLessThan(Duration.ofMillis(400));
			assertThatIllegalArgumentException().isThrownBy(() -> server.pauseClients(Duration.ZERO));
		}
	}

	private static RespConnection connect(LocalRedisServer server, Duration timeout) throws IOException {
		return RespConnection.open(server.host(), server.port(), timeout);
	}

}
