package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.time.Duration;
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
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link PubSubCredentialRotationTests} on the 3-master Cluster: the application user's password changed on every
 * node while the application runs, and the listeners' connection dropped. The subscriber tries the masters in turn
 * (users are per node), each node with its own back-off, reads no topology meanwhile, logs once per node, and the
 * listeners receive again once the old password is back ({@link ClusterPubSubPartialRotationTests} for rotations
 * that reached some nodes only). The user is made on every node of the shared Cluster and deleted afterwards.
 */
@RealRedis(Topology.CLUSTER)
@ExtendWith(OutputCaptureExtension.class)
class ClusterPubSubCredentialRotationTests {

	private final String user = "rot-" + UUID.randomUUID();

	private final String app = "rotc-" + UUID.randomUUID();

	static class Events {

		final PubSubContexts.Received<String> received = new PubSubContexts.Received<>();

		@RedisListener("events")
		void event(String text) {
			this.received.add(text);
		}

	}

	@AfterEach
	void deleteUser() {
		SharedRedis.cluster().commandOnEveryNode("ACL", "DELUSER", this.user);
	}

	private static boolean refused(AssertableApplicationContext context) {
		return context.getBean(RedisAccess.class)
			.permissions()
			.current()
			.stream()
			.map(PermissionRefusals.Refusal::what)
			.anyMatch((what) -> what.startsWith("pub/sub connection to "));
	}

	/** Closes the user's subscribed connections on every node, as a proxy restart would; its other ones stay. */
	private void dropTheUsersSubscribers(RedisCluster cluster) {
		for (LocalRedisServer node : cluster.nodes()) {
			String.valueOf(node.command("CLIENT", "LIST"))
				.lines()
				.filter((client) -> client.contains(" user=" + this.user + " "))
				.filter((client) -> !client.contains(" sub=0 psub=0 ssub=0 "))
				.map((client) -> client.substring(3, client.indexOf(' ')))
				.forEach((id) -> node.command("CLIENT", "KILL", "ID", id));
		}
	}

	/** Connections every node has accepted, this count's own among them (one per node). */
	private static long connectionsReceived(RedisCluster cluster) {
		long total = 0;
		for (LocalRedisServer node : cluster.nodes()) {
			total += String.valueOf(node.command("INFO", "stats"))
				.lines()
				.filter((line) -> line.startsWith("total_connections_received:"))
				.mapToLong((line) -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
				.findFirst()
				.orElseThrow();
		}
		return total;
	}

	@Test
	void listenersRefusedAfterAPasswordChangeOnEveryNodeBackOffOnTheirNodeAndResume(CapturedOutput output) {
		RedisCluster cluster = SharedRedis.cluster();
		cluster.commandOnEveryNode("ACL", "SETUSER", this.user, "on", ">user-secret", "~*", "+@all", "&*");
		PubSubContexts.runner(cluster.as(this.user, "user-secret"))
			.withPropertyValues("spring.application.name=" + this.app, "redis.starter.resilience.liveness-interval=1s")
			.withBean(Events.class)
			.run((context) -> {
				PubSubSubscriber subscriber = context.getBean(PubSubSubscriber.class);
				assertThat(subscriber.awaitSettled(Duration.ofSeconds(10))).isTrue();
				MessageBus bus = context.getBean(MessageBus.class);
				Events events = context.getBean(Events.class);

				cluster.commandOnEveryNode("ACL", "SETUSER", this.user, "resetpass", ">rotated-secret");
				dropTheUsersSubscribers(cluster);
				await().atMost(Duration.ofSeconds(10)).until(() -> refused(context));
				Health health = new RedisStarterHealthIndicator(context.getBean(RedisAccess.class), null,
						Duration.ofSeconds(1))
					.health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails().get("permissionRefusals").toString()).contains("pub/sub connection to");

				// The drop itself reads the topology (a connection to every node, refused: Lettuce logs each); then the
				// channels try each master in turn (users are per node), each node backing off on its own: 1 s, 2 s,
				// 4 s... Six seconds on, each node is tried about once every 4 to 8 s.
				Thread.sleep(6000);
				int logged = output.toString().split("Redis refused the pub/sub connection to", -1).length - 1;
				long connectionsBefore = connectionsReceived(cluster);
				Thread.sleep(4000);
				long counting = cluster.nodes().size();
				assertThat(connectionsReceived(cluster) - connectionsBefore - counting)
					.as("backed off on every node: a few attempts in 4 s, not one (and a topology read) every half second")
					.isLessThanOrEqualTo(5);
				assertThat(logged).as("logged once per node").isBetween(1, cluster.masters().size());
				assertThat(output.toString().split("Redis refused the pub/sub connection to", -1).length - 1)
					.as("not logged again").isEqualTo(logged);
				assertThat(output).doesNotContain("rotated-secret").doesNotContain("user-secret");

				cluster.commandOnEveryNode("ACL", "SETUSER", this.user, ">user-secret");
				int before = events.received.size();
				await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> {
					bus.publish("events", "hello");
					return events.received.size() > before;
				});
				await().atMost(Duration.ofSeconds(5)).until(() -> !refused(context));
			});
	}

}
