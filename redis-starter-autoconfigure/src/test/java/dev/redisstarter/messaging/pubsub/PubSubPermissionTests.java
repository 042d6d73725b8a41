package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
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
 * Application listeners whose subscription Redis refuses by its ACL channel rules ({@code NOPERM}): the refusal is
 * logged once with the channel rule to grant, health is DOWN naming the subscription, it is tried again at each
 * liveness check only (not every half second), and the listener receives again and health clears once an operator
 * grants the channel at run time; a channel taken away at run time is reported the same way.
 */
@ExtendWith(OutputCaptureExtension.class)
class PubSubPermissionTests {

	private static final String CHANNEL = "acl:events";

	private static final String KEYEVENT_PATTERN = "__keyevent@*__:expired";

	private final LocalRedisServer server = LocalRedisServer.builder()
		.password("admin")
		.user("app on >app-secret ~* +@all resetchannels")
		.build()
		.start();

	static class Events {

		final PubSubContexts.Received<String> received = new PubSubContexts.Received<>();

		final PubSubContexts.Received<String> expired = new PubSubContexts.Received<>();

		@RedisListener("events")
		void event(String text) {
			this.received.add(text);
		}

		@KeyEventListener(events = "expired", keys = "acl:*")
		void expired(String key) {
			this.expired.add(key);
		}

	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private ApplicationContextRunner runner() {
		return PubSubContexts.runner(this.server.as("app", "app-secret"))
			.withPropertyValues("spring.application.name=acl", "redis.starter.resilience.liveness-interval=2s",
					"redis.starter.messaging.keyspace.configure-server=true")
			.withBean(Events.class);
	}

	private static Health health(AssertableApplicationContext context) {
		return new RedisStarterHealthIndicator(context.getBean(RedisAccess.class), null, Duration.ofSeconds(1))
			.health(true);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> refusals(Health health) {
		Object refusals = health.getDetails().get("permissionRefusals");
		return (refusals != null) ? (Map<String, String>) refusals : Map.of();
	}

	private static boolean refused(AssertableApplicationContext context, String what) {
		return context.getBean(RedisAccess.class)
			.permissions()
			.current()
			.stream()
			.map(PermissionRefusals.Refusal::what)
			.anyMatch(what::equals);
	}

	/** How many commands of a kind Redis refused, from {@code INFO commandstats}. */
	private long rejected(String command) {
		String info = String.valueOf(this.server.command("INFO", "commandstats"));
		String stats = info.lines()
			.filter((line) -> line.startsWith("cmdstat_" + command + ":"))
			.findFirst()
			.orElse("");
		for (String field : stats.substring(stats.indexOf(':') + 1).split(",")) {
			if (field.startsWith("rejected_calls=")) {
				return Long.parseLong(field.substring("rejected_calls=".length()));
			}
		}
		return 0;
	}

	private static void publishUntilReceived(MessageBus bus, Events events) {
		int before = events.received.size();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
			bus.publish("events", "hello");
			return events.received.size() > before;
		});
	}

	@Test
	void aChannelRefusedAtStartIsLoggedOnceShownInHealthNotRetriedInAStormAndSubscribedOnceGranted(
			CapturedOutput output) {
		runner().run((context) -> {
			String channel = "subscription to channel " + CHANNEL;
			String pattern = "subscription to pattern " + KEYEVENT_PATTERN;
			await().atMost(Duration.ofSeconds(5)).until(() -> refused(context, channel) && refused(context, pattern));
			Health health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("failure", "permission");
			assertThat(refusals(health)).containsKeys(channel, pattern);
			assertThat(refusals(health).get(channel)).startsWith("NOPERM");

			long subscribesBefore = rejected("subscribe");
			Thread.sleep(3000);
			assertThat(rejected("subscribe") - subscribesBefore)
				.as("tried again at each liveness check (2 s), not every 500 ms")
				.isLessThanOrEqualTo(2L);
			assertThat(output.toString().split("Redis refused the " + channel, -1)).as("logged once though retried")
				.hasSize(2);
			assertThat(output).contains("the channel rule &" + CHANNEL + " (or &acl:* when it is under the key prefix)")
				.contains("the channel rule &" + KEYEVENT_PATTERN + " exactly as written")
				.doesNotContain("app-secret");

			// A pattern is compared literally: a glob that matches it does not grant it.
			this.server.command("ACL", "SETUSER", "app", "&acl:*", "&__keyevent@*");
			Events events = context.getBean(Events.class);
			publishUntilReceived(context.getBean(MessageBus.class), events);
			await().atMost(Duration.ofSeconds(5)).until(() -> !refused(context, channel));
			assertThat(refused(context, pattern)).as("&__keyevent@* does not grant PSUBSCRIBE " + KEYEVENT_PATTERN)
				.isTrue();

			this.server.command("ACL", "SETUSER", "app", "&" + KEYEVENT_PATTERN);
			await().atMost(Duration.ofSeconds(5)).until(() -> health(context).getStatus().equals(Status.UP));
			assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(2))).isTrue();
			this.server.command("SET", "acl:cart", "x", "PX", "50");
			await().atMost(Duration.ofSeconds(5)).until(() -> events.expired.snapshot().contains("acl:cart"));
			assertThat(output).contains("Redis allows the " + channel + " again")
				.contains("Redis allows the " + pattern + " again");
		});
	}

	@Test
	void aChannelTakenAwayAtRunTimeIsReportedAndSubscribedAgainOnceGrantedAgain(CapturedOutput output) {
		this.server.command("ACL", "SETUSER", "app", "&acl:*", "&" + KEYEVENT_PATTERN);
		runner().run((context) -> {
			String channel = "subscription to channel " + CHANNEL;
			PubSubSubscriber subscriber = context.getBean(PubSubSubscriber.class);
			assertThat(subscriber.awaitSettled(Duration.ofSeconds(5))).isTrue();
			Events events = context.getBean(Events.class);
			MessageBus bus = context.getBean(MessageBus.class);
			publishUntilReceived(bus, events);
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);

			// Redis 7 disconnects a subscriber whose channels are taken away; the new connection is refused.
			this.server.command("ACL", "SETUSER", "app", "resetchannels", "&" + KEYEVENT_PATTERN);
			await().atMost(Duration.ofSeconds(5)).until(() -> refused(context, channel));
			assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);
			assertThat(refusals(health(context))).containsOnlyKeys(channel);
			assertThat(output.toString().split("Redis refused the " + channel, -1)).hasSize(2);

			this.server.command("ACL", "SETUSER", "app", "&acl:*");
			publishUntilReceived(bus, events);
			await().atMost(Duration.ofSeconds(5)).until(() -> health(context).getStatus().equals(Status.UP));
		});
	}

}
