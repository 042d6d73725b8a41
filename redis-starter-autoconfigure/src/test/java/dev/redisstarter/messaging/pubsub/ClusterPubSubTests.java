package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.PubSubSubscriber;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.annotation.RedisListener;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RealRedis;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.SharedRedis;
import dev.redisstarter.test.Topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pub/sub on Redis Cluster. On the shared 3-master Cluster: channels in order, request-reply between two
 * instances, keyevent notifications from every master each once, and the warning when a master does not publish
 * them (its setting is restored afterwards). On private Clusters, because their topology changes: a shard
 * channel followed through slot migrations and a failover, channel and keyevent listeners through the loss of
 * the master that carried them, and a master that comes back without bringing duplicates. Pub/sub is
 * at-most-once, so the fault tests publish until a message gets through, then assert that what is published
 * afterwards arrives, each message once.
 */
@RealRedis(Topology.CLUSTER)
class ClusterPubSubTests {

	private static final String EXPIRY_KEYS = "cluster-pubsub-expiry:";

	private static final Duration SETTLE = Duration.ofSeconds(10);

	record Quote(String sku, long price) {
	}

	static class ChannelListeners {

		final PubSubContexts.Received<Integer> sequence = new PubSubContexts.Received<>();

		final PubSubContexts.Received<String> prices = new PubSubContexts.Received<>();

		final PubSubContexts.Received<String> alerts = new PubSubContexts.Received<>();

		@RedisListener("sequence")
		void sequence(Integer n) {
			this.sequence.add(n);
		}

		@RedisListener("quotes")
		Quote quote(String sku) {
			return new Quote(sku, sku.length() * 100L);
		}

		@RedisListener("prices")
		void price(String price) {
			this.prices.add(price);
		}

		@RedisListener("alerts")
		void alert(String alert) {
			this.alerts.add(alert);
		}

	}

	static class ShardListeners {

		final PubSubContexts.Received<String> received = new PubSubContexts.Received<>();

		@RedisListener("s1")
		@RedisListener("s2")
		@RedisListener("s3")
		@RedisListener("s4")
		void shard(String text) {
			this.received.add(text);
		}

	}

	static class ExpiryListeners {

		final PubSubContexts.Received<String> expired = new PubSubContexts.Received<>();

		@KeyEventListener(events = "expired", keys = EXPIRY_KEYS + "*")
		void expired(String key) {
			this.expired.add(key);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ChannelConfig {

		@Bean
		ChannelListeners channelListeners() {
			return new ChannelListeners();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ExpiryConfig {

		@Bean
		ExpiryListeners expiryListeners() {
			return new ExpiryListeners();
		}

	}

	private static String app() {
		return "spring.application.name=cluster-pubsub-" + UUID.randomUUID();
	}

	@Test
	void channelMessagesPublishedOnTheClusterReachTheListenerInPublishOrder() {
		PubSubContexts.runner(SharedRedis.cluster()).withPropertyValues(app())
			.withUserConfiguration(ChannelConfig.class)
			.run((context) -> {
				MessageBus bus = context.getBean(MessageBus.class);
				ChannelListeners listeners = context.getBean(ChannelListeners.class);
				assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(SETTLE)).isTrue();
				for (int i = 0; i < 500; i++) {
					bus.publish("sequence", i);
				}
				await().atMost(Duration.ofSeconds(10)).until(() -> listeners.sequence.size() >= 500);
				assertThat(listeners.sequence.snapshot()).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
			});
	}

	@Test
	void shardChannelsOfDifferentSlotsOnOneMasterAreAllSubscribed() {
		// Four shard channels on three masters: at least two share a master, in different slots, which a single
		// SSUBSCRIBE cannot carry (CROSSSLOT).
		PubSubContexts.runner(SharedRedis.cluster()).withPropertyValues(app())
			.withPropertyValues("redis.starter.messaging.channels.s1.sharded=true",
					"redis.starter.messaging.channels.s2.sharded=true", "redis.starter.messaging.channels.s3.sharded=true",
					"redis.starter.messaging.channels.s4.sharded=true")
			.withBean(ShardListeners.class)
			.run((context) -> {
				assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(SETTLE)).isTrue();
				MessageBus bus = context.getBean(MessageBus.class);
				for (String channel : List.of("s1", "s2", "s3", "s4")) {
					assertThat(bus.publish(channel, channel)).as(channel).isEqualTo(1);
				}
				ShardListeners listeners = context.getBean(ShardListeners.class);
				await().atMost(Duration.ofSeconds(5)).until(() -> listeners.received.size() == 4);
				assertThat(listeners.received.snapshot()).containsExactlyInAnyOrder("s1", "s2", "s3", "s4");
			});
	}

	@Test
	void aRequestFromAnotherInstanceOnTheClusterIsAnsweredByTheListenersReturnValue() {
		String app = app();
		PubSubContexts.runner(SharedRedis.cluster()).withPropertyValues(app)
			.withUserConfiguration(ChannelConfig.class)
			.run((answering) -> PubSubContexts.runner(SharedRedis.cluster()).withPropertyValues(app).run((asking) -> {
				assertThat(answering.getBean(PubSubSubscriber.class).awaitSettled(SETTLE)).isTrue();
				MessageBus bus = asking.getBean(MessageBus.class);
				for (String sku : List.of("a", "sku-1", "a-longer-sku")) {
					assertThat(bus.request("quotes", sku, Quote.class, Duration.ofSeconds(2)))
						.isEqualTo(new Quote(sku, sku.length() * 100L));
				}
			}));
	}

	/**
	 * The slot moves away and back: one of the two moves lands on the master that already carries the
	 * application's other channels and the other on a master without a connection, and one leaves a master
	 * that keeps its connection while the other leaves one whose connection is no longer needed.
	 */
	@Test
	void shardChannelListenersReceiveOnTheSlotOwnerAndAgainAfterTheSlotMovesAwayAndBack() {
		try (RedisCluster cluster = RedisCluster.threeMasters().start()) {
			String app = "cluster-pubsub-" + UUID.randomUUID();
			PubSubContexts.runner(cluster).withPropertyValues("spring.application.name=" + app,
					"redis.starter.messaging.channels.prices.sharded=true")
				.withUserConfiguration(ChannelConfig.class)
				.run((context) -> {
					MessageBus bus = context.getBean(MessageBus.class);
					ChannelListeners listeners = context.getBean(ChannelListeners.class);
					String channel = app + ":prices";
					int slot = ClusterNodes.slot(cluster, channel);
					LocalRedisServer owner = ClusterNodes.awaitOwner(cluster, slot, SETTLE);
					assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(SETTLE)).isTrue();
					assertThat(shardChannels(owner)).as("SSUBSCRIBE on the slot's owner").containsExactly(channel);
					assertThat(bus.publish("prices", "before")).as("SPUBLISH reaches the shard subscriber").isEqualTo(1);
					await().atMost(SETTLE).until(() -> listeners.prices.snapshot().contains("before"));

					LocalRedisServer carrier = cluster.masters().stream()
						.filter((node) -> channels(node).contains(app + ":alerts"))
						.findFirst()
						.orElseThrow();
					LocalRedisServer target = (carrier != owner) ? carrier
							: cluster.masters().stream().filter((node) -> node != owner).findFirst().orElseThrow();
					moveAndReceiveAgain(cluster, bus, listeners.prices, channel, owner, target, "moved-away-");
					moveAndReceiveAgain(cluster, bus, listeners.prices, channel, target, owner, "moved-back-");
				});
		}
	}

	private static void moveAndReceiveAgain(RedisCluster cluster, MessageBus bus,
			PubSubContexts.Received<String> received, String channel, LocalRedisServer from, LocalRedisServer to,
			String phase) {
		int slot = ClusterNodes.slot(cluster, channel);
		ClusterNodes.moveSlot(cluster, slot, from, to);
		assertThat(ClusterNodes.owner(cluster, slot)).contains(to);
		publishUntilReceived(bus, "prices", received, phase, Duration.ofSeconds(5));
		assertThat(shardChannels(to)).as("subscribed on the new owner").containsExactly(channel);
		assertThat(shardChannels(from)).as("not left on the old owner").isEmpty();
		assertThat(bus.publish("prices", phase + "counted")).as("SPUBLISH counts one subscriber").isEqualTo(1);
		assertEachArrivesOnceInOrder(bus, "prices", received, phase + "recovered-");
	}

	@Test
	void shardChannelListenersReceiveAgainOnceAReplicaReplacesTheStoppedSlotOwner() {
		try (RedisCluster cluster = RedisCluster.of(3, 1).start()) {
			ClusterNodes.awaitAgreedRoles(cluster, SETTLE);
			String app = "cluster-pubsub-" + UUID.randomUUID();
			PubSubContexts.runner(cluster).withPropertyValues("spring.application.name=" + app,
					"redis.starter.messaging.channels.prices.sharded=true")
				.withUserConfiguration(ChannelConfig.class)
				.run((context) -> {
					MessageBus bus = context.getBean(MessageBus.class);
					ChannelListeners listeners = context.getBean(ChannelListeners.class);
					String channel = app + ":prices";
					int slot = ClusterNodes.slot(cluster, channel);
					LocalRedisServer owner = ClusterNodes.awaitOwner(cluster, slot, SETTLE);
					assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(SETTLE)).isTrue();
					bus.publish("prices", "before");
					await().atMost(SETTLE).until(() -> listeners.prices.snapshot().contains("before"));

					ClusterNodes.awaitReplicasInSync(cluster, SETTLE);
					owner.stop();
					publishUntilReceived(bus, "prices", listeners.prices, "failed-over-", Duration.ofSeconds(40));
					LocalRedisServer promoted = ClusterNodes.owner(cluster, slot).orElseThrow();
					assertThat(promoted).isNotSameAs(owner);
					assertThat(shardChannels(promoted)).as("subscribed on the promoted replica").containsExactly(channel);
					assertEachArrivesOnceInOrder(bus, "prices", listeners.prices, "recovered-");
				});
		}
	}

	/**
	 * The master that carries the application's channels (and, like every master, its keyevent pattern) stops:
	 * the channels move to another master, and once its replica is promoted, keys that expire there are heard.
	 */
	@Test
	void channelAndKeyEventListenersReceiveAgainAfterTheMasterCarryingTheirSubscriptionsStops() {
		try (RedisCluster cluster = RedisCluster.of(3, 1).start()) {
			ClusterNodes.awaitAgreedRoles(cluster, SETTLE);
			String app = "cluster-pubsub-" + UUID.randomUUID();
			PubSubContexts.runner(cluster)
				.withPropertyValues("spring.application.name=" + app, "redis.starter.messaging.keyspace.configure-server=true")
				.withUserConfiguration(ChannelConfig.class, ExpiryConfig.class)
				.run((context) -> {
					MessageBus bus = context.getBean(MessageBus.class);
					ChannelListeners listeners = context.getBean(ChannelListeners.class);
					String channel = app + ":alerts";
					assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(SETTLE)).isTrue();
					List<LocalRedisServer> carriers = cluster.nodes().stream()
						.filter((node) -> channels(node).contains(channel))
						.toList();
					assertThat(carriers).as("one node carries the subscription").hasSize(1);
					LocalRedisServer carrier = carriers.get(0);
					assertThat(ClusterNodes.runningMasters(cluster)).as("a master carries it").contains(carrier);
					int carriersSlot = ClusterNodes.slot(cluster, tagOwnedBy(cluster, carrier));
					bus.publish("alerts", "before");
					await().atMost(SETTLE).until(() -> listeners.alerts.snapshot().contains("before"));

					ClusterNodes.awaitReplicasInSync(cluster, SETTLE);
					carrier.stop();
					publishUntilReceived(bus, "alerts", listeners.alerts, "after-stop-", Duration.ofSeconds(40));
					assertThat(ClusterNodes.running(cluster).stream().filter((node) -> channels(node).contains(channel)))
						.as("exactly one running node carries it now").hasSize(1);
					assertEachArrivesOnceInOrder(bus, "alerts", listeners.alerts, "recovered-");

					LocalRedisServer promoted = ClusterNodes.awaitOwner(cluster, carriersSlot, SETTLE);
					// Settled: the promoted master carries the keyevent pattern (expiries before that are lost).
					assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(SETTLE)).isTrue();
					String run = EXPIRY_KEYS + UUID.randomUUID() + ":";
					List<String> keys = expiringKeys(cluster, promoted, run, 20);
					PubSubContexts.Received<String> expired = context.getBean(ExpiryListeners.class).expired;
					await().atMost(SETTLE).until(() -> ofRun(expired.snapshot(), run).size() >= keys.size());
					awaitQuiet(expired);
					assertThat(ofRun(expired.snapshot(), run)).containsExactlyInAnyOrderElementsOf(keys);
				});
		}
	}

	/**
	 * The master carrying the channels stops and is back before the Cluster marks it failed: the channels
	 * move to another master at once, and the way back to the first (kept for the keyevent pattern that every
	 * master carries) must not bring them back beside the new one.
	 */
	@Test
	void channelListenersReceiveEachMessageOnceWhenTheMasterThatCarriedTheirSubscriptionComesBack() {
		try (RedisCluster cluster = RedisCluster.threeMasters().start()) {
			String app = "cluster-pubsub-" + UUID.randomUUID();
			PubSubContexts.runner(cluster).withPropertyValues("spring.application.name=" + app)
				.withUserConfiguration(ChannelConfig.class, ExpiryConfig.class)
				.run((context) -> {
					MessageBus bus = context.getBean(MessageBus.class);
					ChannelListeners listeners = context.getBean(ChannelListeners.class);
					String channel = app + ":alerts";
					assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(SETTLE)).isTrue();
					LocalRedisServer carrier = cluster.masters().stream()
						.filter((node) -> channels(node).contains(channel))
						.findFirst()
						.orElseThrow();
					carrier.stop();
					await().atMost(Duration.ofSeconds(4)).until(() -> ClusterNodes.running(cluster).stream()
						.anyMatch((node) -> channels(node).contains(channel)));
					carrier.start();
					// The subscriber's connection to it is back once its keyevent pattern is.
					await().atMost(Duration.ofSeconds(40)).until(() -> numpat(carrier) > 0);
					List<String> sent = new ArrayList<>();
					long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
					for (int i = 0; System.nanoTime() < end; i++) {
						String message = "after-restart-" + i;
						bus.publish("alerts", message);
						sent.add(message);
						Thread.sleep(10);
					}
					await().atMost(SETTLE).until(() -> startingWith(listeners.alerts, "after-restart-").size() >= sent.size());
					awaitQuiet(listeners.alerts);
					assertThat(startingWith(listeners.alerts, "after-restart-")).containsExactlyElementsOf(sent);
					assertThat(ClusterNodes.running(cluster).stream().filter((node) -> channels(node).contains(channel)))
						.as("exactly one node carries it").hasSize(1);
				});
		}
	}

	@Test
	void expiredEventsFromEveryMasterArriveEachExactlyOnce() {
		RedisCluster cluster = SharedRedis.cluster();
		Map<LocalRedisServer, String> original = notifyKeyspaceEvents(cluster);
		try {
			PubSubContexts.runner(cluster)
				.withPropertyValues(app(), "redis.starter.messaging.keyspace.configure-server=true")
				.withUserConfiguration(ExpiryConfig.class)
				.run((context) -> {
					ExpiryListeners listeners = context.getBean(ExpiryListeners.class);
					assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(SETTLE)).isTrue();
					notifyKeyspaceEvents(cluster).values()
						.forEach((flags) -> assertThat(flags).as("set by the starter").contains("E").contains("x"));
					String run = EXPIRY_KEYS + UUID.randomUUID() + ":";
					List<String> keys = new ArrayList<>();
					for (LocalRedisServer master : cluster.masters()) {
						keys.addAll(expiringKeys(cluster, master, run, 20));
					}
					await().atMost(Duration.ofSeconds(15))
						.until(() -> ofRun(listeners.expired.snapshot(), run).size() >= keys.size());
					// Late duplicates (from a second subscription to one node) would arrive meanwhile.
					awaitQuiet(listeners.expired);
					assertThat(ofRun(listeners.expired.snapshot(), run)).containsExactlyInAnyOrderElementsOf(keys);
				});
		}
		finally {
			original.forEach((node, flags) -> node.command("CONFIG", "SET", "notify-keyspace-events", flags));
		}
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aKeyEventListenerOnMastersThatDoNotPublishExpiriesLogsAWarningNamingTheMissingFlags(CapturedOutput output) {
		RedisCluster cluster = SharedRedis.cluster();
		Map<LocalRedisServer, String> original = notifyKeyspaceEvents(cluster);
		try {
			cluster.masters().forEach((node) -> node.command("CONFIG", "SET", "notify-keyspace-events", ""));
			PubSubContexts.runner(cluster).withPropertyValues(app())
				.withUserConfiguration(ExpiryConfig.class)
				.run((context) -> {
					assertThat(context.getBean(PubSubSubscriber.class).awaitSettled(SETTLE)).isTrue();
					for (LocalRedisServer master : cluster.masters()) {
						await().atMost(SETTLE).until(() -> output.getOut().contains(
								"notify-keyspace-events on " + master.address() + " is '': @KeyEventListener needs 'Ex'"));
					}
					assertThat(notifyKeyspaceEvents(cluster).values()).as("left as it was").containsOnly("");
				});
		}
		finally {
			original.forEach((node, flags) -> node.command("CONFIG", "SET", "notify-keyspace-events", flags));
		}
	}

	/**
	 * Publishes a new message every 200 ms until one arrives; messages published while the subscription is
	 * being moved may be lost (at-most-once), and publishing itself may fail while the Cluster fails over.
	 */
	private static void publishUntilReceived(MessageBus bus, String channel, PubSubContexts.Received<String> received,
			String prefix, Duration atMost) {
		AtomicInteger attempt = new AtomicInteger();
		await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
			try {
				bus.publish(channel, prefix + attempt.incrementAndGet());
			}
			catch (MessagingUnavailableException ex) {
				// the slot's master is down or the Cluster is failing over
			}
			return received.snapshot().stream().anyMatch((message) -> message.startsWith(prefix));
		});
	}

	/** Once recovered, every message arrives, in order, and nothing ever arrived twice. */
	private static void assertEachArrivesOnceInOrder(MessageBus bus, String channel,
			PubSubContexts.Received<String> received, String prefix) {
		List<String> sent = IntStream.range(0, 50).mapToObj((i) -> prefix + i).toList();
		sent.forEach((message) -> bus.publish(channel, message));
		await().atMost(SETTLE).until(() -> startingWith(received, prefix).size() >= sent.size());
		awaitQuiet(received);
		assertThat(startingWith(received, prefix)).containsExactlyElementsOf(sent);
		List<String> all = received.snapshot();
		assertThat(new HashSet<>(all)).as("no message delivered twice: " + all).hasSize(all.size());
	}

	/** Waits until nothing more arrives for half a second, so that late duplicates are caught. */
	private static void awaitQuiet(PubSubContexts.Received<?> received) {
		AtomicInteger seen = new AtomicInteger(-1);
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
			.until(() -> seen.getAndSet(received.size()) == received.size());
	}

	private static List<String> startingWith(PubSubContexts.Received<String> received, String prefix) {
		return received.snapshot().stream().filter((message) -> message.startsWith(prefix)).toList();
	}

	private static List<String> ofRun(List<String> keys, String run) {
		return keys.stream().filter((key) -> key.startsWith(run)).toList();
	}

	/** Keys that expire in 200 ms, on the given master (sent to it: a key it does not own is refused). */
	private static List<String> expiringKeys(RedisCluster cluster, LocalRedisServer master, String run, int count) {
		String tag = tagOwnedBy(cluster, master);
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String key = run + "{" + tag + "}:" + i;
			master.command("SET", key, "v", "PX", "200");
			keys.add(key);
		}
		return keys;
	}

	/** A hash tag whose slot the master serves. */
	private static String tagOwnedBy(RedisCluster cluster, LocalRedisServer master) {
		for (int i = 0; i < 1000; i++) {
			String tag = "t" + i;
			if (ClusterNodes.owner(cluster, ClusterNodes.slot(cluster, tag)).orElse(null) == master) {
				return tag;
			}
		}
		throw new IllegalStateException("No tag found for " + master);
	}

	private static Map<LocalRedisServer, String> notifyKeyspaceEvents(RedisCluster cluster) {
		Map<LocalRedisServer, String> flags = new LinkedHashMap<>();
		for (LocalRedisServer master : cluster.masters()) {
			List<?> reply = (List<?>) master.command("CONFIG", "GET", "notify-keyspace-events");
			flags.put(master, String.valueOf(reply.get(1)));
		}
		return flags;
	}

	/** The shard channels a node has subscribers for ({@code PUBSUB SHARDCHANNELS}, local to the node). */
	private static List<String> shardChannels(LocalRedisServer node) {
		return strings(node.command("PUBSUB", "SHARDCHANNELS"));
	}

	/** The channels a node has subscribers for ({@code PUBSUB CHANNELS}, local to the node). */
	private static List<String> channels(LocalRedisServer node) {
		return strings(node.command("PUBSUB", "CHANNELS"));
	}

	private static long numpat(LocalRedisServer node) {
		return (Long) Objects.requireNonNull(node.command("PUBSUB", "NUMPAT"));
	}

	private static List<String> strings(@Nullable Object reply) {
		return ((List<?>) Objects.requireNonNull(reply)).stream().map(String::valueOf).toList();
	}

}
