package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.annotation.RedisListener;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review of 42f0c35 (issue 22): on a Cluster, ACL users are per node (ACL SETUSER acts on one node), so a password
 * rotation is node by node. While only the node that carries the application's channels refuses the credentials,
 * the other masters accept them: the channels should move there, as they do when that node is down.
 */
@RealRedis(Topology.CLUSTER)
class ClusterPubSubPartialRotationTests {

	private final String user = "prot-" + UUID.randomUUID();

	private final String app = "protc-" + UUID.randomUUID();

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

	private static List<LocalRedisServer> carriers(RedisCluster cluster, String user) {
		return cluster.nodes()
			.stream()
			.filter((node) -> String.valueOf(node.command("CLIENT", "LIST"))
				.lines()
				.anyMatch((client) -> client.contains(" user=" + user + " ") && client.contains(" sub=1 ")))
			.toList();
	}

	private static void dropSubscribers(LocalRedisServer node, String user) {
		String.valueOf(node.command("CLIENT", "LIST"))
			.lines()
			.filter((client) -> client.contains(" user=" + user + " "))
			.filter((client) -> !client.contains(" sub=0 psub=0 ssub=0 "))
			.map((client) -> client.substring(3, client.indexOf(' ')))
			.forEach((id) -> node.command("CLIENT", "KILL", "ID", id));
	}

	private static boolean receivedWithin(MessageBus bus, Events events, Duration within) throws InterruptedException {
		int before = events.received.size();
		long end = System.nanoTime() + within.toNanos();
		while (System.nanoTime() < end) {
			try {
				bus.publish("events", "hello");
			}
			catch (RuntimeException ex) {
				// The publish's own node may be the stopped one: only whether the listeners hear is measured.
			}
			Thread.sleep(200);
			if (events.received.size() > before) {
				return true;
			}
		}
		return false;
	}

	/**
	 * FAILS on 42f0c35 (defect): the password is changed on the carrying node only; the two other masters still
	 * accept the application's credentials, yet the listeners receive nothing for as long as that one node refuses
	 * them (chooseBroadcastNode keeps the channels on a node that refusesCredentials()).
	 */
	@Test
	void listenersMoveToAnotherMasterWhenOnlyTheirNodeRefusesTheCredentials() {
		RedisCluster cluster = SharedRedis.cluster();
		cluster.commandOnEveryNode("ACL", "SETUSER", this.user, "on", ">user-secret", "~*", "+@all", "&*");
		PubSubContexts.runner(cluster.as(this.user, "user-secret"))
			.withPropertyValues("spring.application.name=" + this.app, "redis.starter.resilience.liveness-interval=1s")
			.withBean(Events.class)
			.run((context) -> {
				assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(10))).isTrue();
				MessageBus bus = context.getBean(MessageBus.class);
				Events events = context.getBean(Events.class);
				assertThat(receivedWithin(bus, events, Duration.ofSeconds(5))).isTrue();
				List<LocalRedisServer> carriers = carriers(cluster, this.user);
				assertThat(carriers).hasSize(1);
				LocalRedisServer carrier = carriers.get(0);

				// A rotation that reached one node only (or an operator who changed one node by mistake).
				carrier.command("ACL", "SETUSER", this.user, "resetpass", ">rotated-secret");
				dropSubscribers(carrier, this.user);
				try {
					assertThat(receivedWithin(bus, events, Duration.ofSeconds(12)))
						.as("two of three masters accept the credentials: the channels should be carried by one of them")
						.isTrue();
				}
				finally {
					carrier.command("ACL", "SETUSER", this.user, ">user-secret");
				}
			});
	}

	/**
	 * FAILS on 42f0c35 (defect): the password is changed on every node and the subscriber backs off on the node that
	 * carries the channels (as in ClusterPubSubCredentialRotationTests); that node then really stops, and the
	 * operator puts the old password back on the running nodes. Without the refusal the channels move to another
	 * master within about 4 s (ClusterPubSubTests). With it, NodeConnection keeps refusesCredentials() true after
	 * the attempts fail with "connection refused" (only a successful open clears it), chooseBroadcastNode keeps the
	 * channels on the dead node and no topology is read for it, until the 30 s periodic read marks the node failed.
	 */
	@Test
	void listenersMoveOffANodeThatStopsWhileRefusingTheCredentials() {
		try (RedisCluster cluster = RedisCluster.threeMasters().start()) {
			String user = "stop-" + UUID.randomUUID();
			cluster.commandOnEveryNode("ACL", "SETUSER", user, "on", ">user-secret", "~*", "+@all", "&*");
			PubSubContexts.runner(cluster.as(user, "user-secret"))
				.withPropertyValues("spring.application.name=" + this.app,
						"redis.starter.resilience.liveness-interval=1s")
				.withBean(Events.class)
				.run((context) -> {
					assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(10))).isTrue();
					MessageBus bus = context.getBean(MessageBus.class);
					Events events = context.getBean(Events.class);
					assertThat(receivedWithin(bus, events, Duration.ofSeconds(5))).isTrue();
					cluster.commandOnEveryNode("ACL", "SETUSER", user, "resetpass", ">rotated-secret");
					for (LocalRedisServer node : cluster.nodes()) {
						dropSubscribers(node, user);
					}
					String channel = this.app + ":events";
					// The node the channels are on once the refusal is known (with channels only, it is the only one
					// the subscriber connects to).
					java.util.concurrent.atomic.AtomicReference<String> refusing = new java.util.concurrent.atomic.AtomicReference<>();
					org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
						context.getBean(dev.redisstarter.core.RedisAccess.class).permissions().current().stream()
							.map((r) -> r.what())
							.filter((what) -> what.startsWith("pub/sub connection to "))
							.findFirst()
							.ifPresent((what) -> refusing.set(what.substring("pub/sub connection to ".length())));
						return refusing.get() != null;
					});
					Thread.sleep(1500);
					LocalRedisServer carrier = cluster.nodes().stream()
						.filter((node) -> node.address().equals(refusing.get()))
						.findFirst()
						.orElseThrow();
					carrier.stop();
					for (LocalRedisServer node : cluster.nodes()) {
						if (node != carrier) {
							node.command("ACL", "SETUSER", user, ">user-secret");
						}
					}
					long stopped = System.nanoTime();
					boolean carried = false;
					while (!carried && System.nanoTime() - stopped < Duration.ofSeconds(40).toNanos()) {
						Thread.sleep(250);
						carried = cluster.nodes().stream().filter((node) -> node != carrier).anyMatch(
								(node) -> String.valueOf(node.command("PUBSUB", "CHANNELS", channel)).contains(channel));
					}
					long millis = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
					System.out.println("REVIEW: a running master carries the channel: " + carried + " after " + millis
							+ " ms");
					assertThat(carried).isTrue();
					// Measured on 42f0c35: 9.6 s (cluster-node-timeout 5 s here, then Lettuce's next adaptive topology
					// read); without the earlier refusal the subscriber moves at its next look (about 1 s).
					assertThat(millis).as("ms until a running master carries the channels").isLessThan(6_000);
				});
		}
	}

	/**
	 * FAILS on 42f0c35 (defect): the password is changed on every node, the subscriber backs off on the node that
	 * carries the channels, then the operator puts the old password back on every node but that one (a rotation
	 * undone node by node, or a node missed). Two masters accept the credentials, but chooseBroadcastNode keeps the
	 * channels on the refusing node: the listeners stay deaf for as long as that node refuses.
	 */
	@Test
	void listenersResumeOnAnotherMasterWhenTheCredentialsAreAcceptedAgainEverywhereButTheirNode() {
		RedisCluster cluster = SharedRedis.cluster();
		cluster.commandOnEveryNode("ACL", "SETUSER", this.user, "on", ">user-secret", "~*", "+@all", "&*");
		PubSubContexts.runner(cluster.as(this.user, "user-secret"))
			.withPropertyValues("spring.application.name=" + this.app, "redis.starter.resilience.liveness-interval=1s")
			.withBean(Events.class)
			.run((context) -> {
				assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(Duration.ofSeconds(10))).isTrue();
				MessageBus bus = context.getBean(MessageBus.class);
				Events events = context.getBean(Events.class);
				assertThat(receivedWithin(bus, events, Duration.ofSeconds(5))).isTrue();
				cluster.commandOnEveryNode("ACL", "SETUSER", this.user, "resetpass", ">rotated-secret");
				for (LocalRedisServer node : cluster.nodes()) {
					dropSubscribers(node, this.user);
				}
				java.util.concurrent.atomic.AtomicReference<String> refusing = new java.util.concurrent.atomic.AtomicReference<>();
				org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
					context.getBean(dev.redisstarter.core.RedisAccess.class).permissions().current().stream()
						.map((r) -> r.what())
						.filter((what) -> what.startsWith("pub/sub connection to "))
						.findFirst()
						.ifPresent((what) -> refusing.set(what.substring("pub/sub connection to ".length())));
					return refusing.get() != null;
				});
				Thread.sleep(1500);
				LocalRedisServer carrier = cluster.nodes().stream()
					.filter((node) -> node.address().equals(refusing.get()))
					.findFirst()
					.orElseThrow();
				for (LocalRedisServer node : cluster.nodes()) {
					if (node != carrier) {
						node.command("ACL", "SETUSER", this.user, ">user-secret");
					}
				}
				try {
					assertThat(receivedWithin(bus, events, Duration.ofSeconds(15)))
						.as("two of three masters accept the credentials again; the channels' node still refuses them")
						.isTrue();
				}
				finally {
					carrier.command("ACL", "SETUSER", this.user, ">user-secret");
				}
			});
	}

}
