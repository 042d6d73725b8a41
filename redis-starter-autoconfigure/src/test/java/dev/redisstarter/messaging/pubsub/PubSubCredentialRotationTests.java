package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.annotation.RedisListener;
import dev.redisstarter.core.PermissionRefusals;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.health.RedisStarterHealthIndicator;
import dev.redisstarter.test.LocalRedisServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application user's password changed in Redis while the application runs (or the user removed): the starter's
 * own connection, opened before, still works, but every new connection is refused. Pub/sub listeners, whose
 * connection drops, must not go silent: the refusal is logged once naming what to check, health is DOWN naming the
 * connection, attempts back off, and listeners receive again once the credentials are accepted.
 */
@ExtendWith(OutputCaptureExtension.class)
class PubSubCredentialRotationTests {

	private final LocalRedisServer server = LocalRedisServer.builder()
		.password("admin")
		.user("app on >app-secret ~* +@all &*")
		.build()
		.start();

	static class Events {

		final PubSubContexts.Received<String> received = new PubSubContexts.Received<>();

		@RedisListener("events")
		void event(String text) {
			this.received.add(text);
		}

	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private static boolean refused(AssertableApplicationContext context) {
		return context.getBean(RedisAccess.class)
			.permissions()
			.current()
			.stream()
			.map(PermissionRefusals.Refusal::what)
			.anyMatch((what) -> what.startsWith("pub/sub connection to "));
	}

	private long connectionsReceived() {
		String info = String.valueOf(this.server.command("INFO", "stats"));
		return info.lines()
			.filter((line) -> line.startsWith("total_connections_received:"))
			.mapToLong((line) -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void listenersWhoseConnectionIsRefusedAfterAPasswordChangeAreReportedBackOffAndResume(CapturedOutput output) {
		PubSubContexts.runner(this.server.as("app", "app-secret"))
			.withPropertyValues("redis.starter.resilience.liveness-interval=1s")
			.withBean(Events.class)
			.run((context) -> {
				PubSubSubscriber subscriber = context.getBean(PubSubSubscriber.class);
				assertThat(subscriber.awaitSettled(Duration.ofSeconds(5))).isTrue();
				MessageBus bus = context.getBean(MessageBus.class);
				Events events = context.getBean(Events.class);

				// The operator rotates the password; the listeners' connection drops (a restart of a proxy, a kill).
				this.server.command("ACL", "SETUSER", "app", "resetpass", ">rotated-secret");
				this.server.command("CLIENT", "KILL", "TYPE", "pubsub");
				await().atMost(Duration.ofSeconds(10)).until(() -> refused(context));
				Health health = new RedisStarterHealthIndicator(context.getBean(RedisAccess.class), null,
						Duration.ofSeconds(1))
					.health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().get("permissionRefusals").toString()).contains("pub/sub connection to");
				assertThat(output).contains("Redis refused the pub/sub connection to")
					.contains("check spring.data.redis.username and spring.data.redis.password")
					.doesNotContain("rotated-secret")
					.doesNotContain("app-secret");

				long connectionsBefore = connectionsReceived();
				Thread.sleep(4000);
				assertThat(connectionsReceived() - connectionsBefore)
					.as("backed off: a few attempts in 4 s, not one every half second")
					.isLessThanOrEqualTo(4);
				assertThat(output.toString().split("Redis refused the pub/sub connection to", -1)).as("logged once")
					.hasSize(2);

				// The operator puts the old password back: the listeners resume by themselves.
				this.server.command("ACL", "SETUSER", "app", ">app-secret");
				int before = events.received.size();
				await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> {
					bus.publish("events", "hello");
					return events.received.size() > before;
				});
				await().atMost(Duration.ofSeconds(5)).until(() -> !refused(context));
			});
	}

}
