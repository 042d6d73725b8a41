package dev.redisstarter.test;

import java.io.IOException;
import java.net.Socket;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatIOException;

@Tag("compat")
class LocalRedisServerTests {

	@Test
	void startsAnswersPingStopsAndRestartsOnTheSamePort() {
		try (LocalRedisServer server = LocalRedisServer.builder().build()) {
			server.start();
			int port = server.port();
			long firstPid = server.pid().orElseThrow();
			assertThat(server.command("PING")).isEqualTo("PONG");
			server.command("SET", "survives-restart", "no");

			server.stop();
			assertThat(server.isRunning()).isFalse();
			assertThat(server.pid()).isEmpty();
			assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).as("process gone").isEmpty();
			assertThatIOException().isThrownBy(() -> new Socket("127.0.0.1", port).close());

			server.start();
			assertThat(server.port()).isEqualTo(port);
			assertThat(server.pid().orElseThrow()).isNotEqualTo(firstPid);
			assertThat(server.command("PING")).isEqualTo("PONG");
			assertThat(server.command("GET", "survives-restart")).as("no persistence").isNull();
		}
	}

	@Test
	void neverAttachesToAnotherServerThatHoldsItsPort() {
		try (LocalRedisServer first = LocalRedisServer.builder().build().start();
				LocalRedisServer second = LocalRedisServer.builder().port(first.port()).build()) {
			assertThatIllegalStateException().isThrownBy(second::start)
				.withMessageContaining(Integer.toString(first.port()));
			assertThat(second.isRunning()).isFalse();
			assertThat(first.command("PING")).isEqualTo("PONG");
		}
	}

	@Test
	void leavesNoProcessBehindAfterClose() {
		LocalRedisServer server = LocalRedisServer.builder().build().start();
		long pid = server.pid().orElseThrow();
		assertThat(ProcessHandle.of(pid)).isPresent();
		server.close();
		assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
	}

	@Test
	void listensOnLoopbackOnly() throws IOException {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			Object bind = server.command("CONFIG", "GET", "bind");
			assertThat(bind).asString().contains("127.0.0.1");
		}
	}

	@Test
	void reportsItsVersion() {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			assertThat(server.version()).matches("\\d+\\.\\d+\\.\\d+");
		}
	}

	@Test
	void explainsAServerThatCannotStart() {
		try (LocalRedisServer server = LocalRedisServer.builder().config("no-such-directive", "1").build()) {
			org.assertj.core.api.Assertions.assertThatIllegalStateException()
				.isThrownBy(server::start)
				.withMessageContaining("redis-server exited")
				.withMessageContaining("no-such-directive");
			assertThat(server.isRunning()).isFalse();
		}
	}

}
