package dev.redisstarter.messaging.pubsub;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.data.redis.annotation.RedisListener;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.secured.SecuredRedis;
import dev.redisstarter.test.ClusterUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listeners of a channel and of a shard channel on the 3-master Cluster over TLS, as the user with the README's ACL
 * rule: the starter's node connections speak TLS and authenticate as that user (a node's address from the topology
 * carries neither), so messages arrive and nothing is refused.
 */
class SecuredClusterPubSubTests {

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

	private static void publishUntilReceived(MessageBus bus, String channel, PubSubContexts.Received<String> received) {
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
			bus.publish(channel, "hello");
			return received.size() > 0;
		});
	}

	@Test
	void channelAndShardChannelListenersReceiveOverTlsAsTheRestrictedUser() {
		ClusterUser user = SecuredRedis.clusterContractUser();
		// The user is granted the channels under the suites' prefixes, such as locktest:.
		PubSubContexts.runner(user)
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("spring.application.name=locktest", "redis.starter.messaging.channels.orders.sharded=true")
			.withBean(Listeners.class)
			.run((context) -> {
				Listeners listeners = context.getBean(Listeners.class);
				MessageBus bus = context.getBean(MessageBus.class);
				publishUntilReceived(bus, "events", listeners.events);
				publishUntilReceived(bus, "orders", listeners.orders);
				assertThat(context.getBean(RedisAccess.class).permissions().current()).isEmpty();
				List<String> subscribers = user.cluster()
					.commandOnEveryNode("CLIENT", "LIST")
					.stream()
					.flatMap((reply) -> String.valueOf(reply).lines())
					.filter((client) -> !client.contains(" sub=0 psub=0 ssub=0 "))
					.toList();
				assertThat(subscribers).isNotEmpty().allMatch((client) -> client.contains(" user=contract "));
			});
	}

}
