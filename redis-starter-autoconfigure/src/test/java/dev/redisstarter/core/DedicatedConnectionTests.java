package dev.redisstarter.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.spring.ConnectionFactories;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blocking reader's own connection: a fresh open on a healthy Redis never fails as "closed while it opened" (the
 * waiting caller may wake before the attempt's callback installs it), and one that opens after a frozen handshake and
 * a close is closed, the next open working.
 */
class DedicatedConnectionTests {

	@Test
	void aHealthyOpenNeverFailsAsClosedWhileItOpened() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce("127.0.0.1", server.port(), Duration.ofSeconds(2));
			RedisAccess access = new RedisAccess(factory, ResilienceSettings.DEFAULTS, null, "dc:").start();
			DedicatedConnection connection = new DedicatedConnection(access, "for a test");
			List<String> failures = new ArrayList<>();
			// Other threads busy, as on a loaded 2-core machine: the waiter may wake before adopt() runs.
			List<Thread> hogs = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				Thread hog = new Thread(() -> {
					long x = 0;
					while (!Thread.currentThread().isInterrupted()) {
						x += System.nanoTime() % 7;
					}
				});
				hog.setDaemon(true);
				hog.start();
				hogs.add(hog);
			}
			try {
				for (int i = 0; i < 400; i++) {
					try {
						connection.commands();
					}
					catch (RedisConnectionFailureException ex) {
						failures.add(i + ": " + ex.getMessage());
					}
					connection.close();
				}
			}
			finally {
				hogs.forEach(Thread::interrupt);
				access.close();
				factory.destroy();
			}
			assertThat(failures).isEmpty();
		}
	}

	@Test
	void aConnectionThatOpensAfterAFrozenHandshakeAndACloseIsClosedAndTheNextOpenWorks() throws Exception {
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			LettuceConnectionFactory factory = ConnectionFactories.lettuce("127.0.0.1", server.port(), Duration.ofSeconds(10));
			RedisAccess access = new RedisAccess(factory, ResilienceSettings.DEFAULTS, null, "dc:").start();
			DedicatedConnection connection = new DedicatedConnection(access, "for a test");
			try {
				Thread.sleep(300);
				long baseline = clients(server);
				server.freeze();
				long began = System.nanoTime();
				try {
					connection.commands();
					throw new AssertionError("opened on a frozen server");
				}
				catch (RedisConnectionFailureException expected) {
					long took = (System.nanoTime() - began) / 1_000_000;
					assertThat(took).isBetween(2_500L, 4_500L);
				}
				finally {
					connection.close();
					Thread.sleep(1500);
					server.thaw();
				}
				Thread.sleep(2000);
				assertThat(connection.isOpen()).isFalse();
				assertThat(clients(server)).as("the late connection was closed").isEqualTo(baseline);
				connection.commands().ping().get();
				assertThat(clients(server)).isEqualTo(baseline + 1);
			}
			finally {
				connection.close();
				access.close();
				factory.destroy();
			}
		}
	}

	private static long clients(LocalRedisServer server) {
		String list = String.valueOf(server.command("CLIENT", "LIST"));
		// This CLIENT LIST's own connection is one of them.
		return list.lines().filter((line) -> line.contains("addr=")).count() - 1;
	}

}
