package dev.redisstarter.messaging.stream;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.redisstarter.core.PermissionRefusals;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.test.LocalRedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream reader refused its group read by the Redis user's ACL (it reads on a connection of its own, not through
 * the starter's calls) says so once, shows it in health's refusals, backs off, and reads again once granted.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamPermissionTests {

	static class Orders {

		@StreamListener(stream = "${test.stream}", group = "billing")
		void order(String order) {
		}

	}

	@Test
	void aRefusedGroupReadIsLoggedOnceShownAndOverOnceGranted(CapturedOutput output) {
		String stream = "orders-" + UUID.randomUUID();
		try (LocalRedisServer server = LocalRedisServer.builder().build().start()) {
			StreamContexts.runner(server)
				.withPropertyValues("test.stream=" + stream)
				.withBean(Orders.class, Orders::new)
				.run((context) -> {
					await().atMost(Duration.ofSeconds(5)).until(() -> context.getBean(StreamListeners.class).allReading());
					RedisAccess access = context.getBean(RedisAccess.class);
					server.command("ACL", "SETUSER", "default", "-xreadgroup");
					try {
						await().atMost(Duration.ofSeconds(5))
							.until(() -> access.permissions().current().stream().map(PermissionRefusals.Refusal::what)
								.anyMatch("stream xreadgroup"::equals));
						// Several back-offs: still one line.
						Thread.sleep(2000);
						assertThat(output.getAll().split("Redis refused the starter's stream call", -1)).hasSize(2);
					}
					finally {
						server.command("ACL", "SETUSER", "default", "+xreadgroup");
					}
					await().atMost(Duration.ofSeconds(10)).until(() -> access.permissions().current().isEmpty());
					assertThat(output).contains("Redis allows the starter's stream XREADGROUP again");
				});
		}
	}

}
