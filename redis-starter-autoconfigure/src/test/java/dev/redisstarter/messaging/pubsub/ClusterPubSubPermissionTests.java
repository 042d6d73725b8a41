package dev.redisstarter.messaging.pubsub;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On the 3-master Cluster, listeners of a channel and of a shard channel whose subscriptions the ACL user's
 * channel rules refuse: each refusal is named in health with the node that refused it and logged once, and both
 * listeners receive again once the channels are granted on every node at run time, and again after they were taken
 * away and granted back. The user is made on every node of the shared Cluster and deleted afterwards.
 */
@RealRedis(Topology.CLUSTER)
@ExtendWith(OutputCaptureExtension.class)
class ClusterPubSubPermissionTests {

	private final String user = "acl-" + UUID.randomUUID();

	private final String app = "aclc-" + UUID.randomUUID();

	static class Listeners {

		final PubSubContexts.Received<String> events = new PubSubContexts.Received<>();

		final PubSubContexts.Received<String> orders = new PubSubContexts.Received<>();

		@RedisListener("events")
		void event(String text) {
			this.events.add(text);
		}

		@RedisListener("orders")
		void order(String text) {
			this.orders.add(text);
		}

	}

	@AfterEach
	void deleteUser() {
		SharedRedis.cluster().commandOnEveryNode("ACL", "DELUSER", this.user);
	}

	private static Health health(AssertableApplicationContext context) {
		return new RedisStarterHealthIndicator(context.getBean(RedisAccess.class), null, Duration.ofSeconds(1))
			.health(true);
	}

	private static List<String> refusals(AssertableApplicationContext context) {
		return context.getBean(RedisAccess.class)
			.permissions()
			.current()
			.stream()
			.map(PermissionRefusals.Refusal::what)
			.toList();
	}

	/** The CLIENT LIST lines of every node's subscribed clients. */
	private static List<String> subscribers(RedisCluster cluster) {
		return cluster.commandOnEveryNode("CLIENT", "LIST")
			.stream()
			.flatMap((reply) -> String.valueOf(reply).lines())
			.filter((client) -> !client.contains(" sub=0 psub=0 ssub=0 "))
			.toList();
	}

	private static void publishUntilReceived(MessageBus bus, String channel, PubSubContexts.Received<String> received) {
		int before = received.size();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
			bus.publish(channel, "hello");
			return received.size() > before;
		});
	}

	@Test
	void refusedChannelAndShardChannelSubscriptionsAreNamedWithTheirNodeAndResumeOnceGrantedOnEveryNode(
			CapturedOutput output) {
		RedisCluster cluster = SharedRedis.cluster();
		cluster.commandOnEveryNode("ACL", "SETUSER", this.user, "on", ">user-secret", "~*", "+@all", "resetchannels");
		PubSubContexts.runner(cluster.as(this.user, "user-secret"))
			.withPropertyValues("spring.application.name=" + this.app, "redis.starter.messaging.channels.orders.sharded=true")
			.withBean(Listeners.class)
			.run((context) -> {
				String channel = "subscription to channel " + this.app + ":events on ";
				String shard = "subscription to shard channel " + this.app + ":orders on ";
				await().atMost(Duration.ofSeconds(10))
					.until(() -> refusals(context).stream().anyMatch((what) -> what.startsWith(channel))
							&& refusals(context).stream().anyMatch((what) -> what.startsWith(shard)));
				Health health = health(context);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				@SuppressWarnings("unchecked")
				Map<String, String> named = (Map<String, String>) health.getDetails().get("permissionRefusals");
				assertThat(named.keySet()).anyMatch((what) -> what.matches(".*:events on 127\\.0\\.0\\.1:\\d+"));
				assertThat(output).contains("the channel rule &" + this.app + ":orders");
				assertThat(output.toString().split("Redis refused the " + channel, -1)).as("logged once").hasSize(2);

				cluster.commandOnEveryNode("ACL", "SETUSER", this.user, "&" + this.app + ":*");
				Listeners listeners = context.getBean(Listeners.class);
				MessageBus bus = context.getBean(MessageBus.class);
				publishUntilReceived(bus, "events", listeners.events);
				publishUntilReceived(bus, "orders", listeners.orders);
				await().atMost(Duration.ofSeconds(5)).until(() -> health(context).getStatus().equals(Status.UP));
				assertThat(subscribers(cluster)).as("the node connections subscribe as the application's user")
					.isNotEmpty()
					.allMatch((client) -> client.contains(" user=" + this.user + " "));

				// Taken away at run time: Redis disconnects the subscribers, and the new subscriptions are refused.
				cluster.commandOnEveryNode("ACL", "SETUSER", this.user, "resetchannels");
				await().atMost(Duration.ofSeconds(10))
					.until(() -> refusals(context).stream().anyMatch((what) -> what.startsWith(shard)));
				assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);

				cluster.commandOnEveryNode("ACL", "SETUSER", this.user, "&" + this.app + ":*");
				publishUntilReceived(bus, "events", listeners.events);
				publishUntilReceived(bus, "orders", listeners.orders);
				await().atMost(Duration.ofSeconds(5)).until(() -> health(context).getStatus().equals(Status.UP));
			});
	}

}
