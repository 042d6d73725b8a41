package dev.redisstarter.core.subscription;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import dev.redisstarter.core.subscription.NodeConnection.Op;
import dev.redisstarter.core.subscription.NodeConnection.Wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which node carries which subscription on a Cluster, without Redis. */
class ClusterRoutePlanTests {

	private static final List<String> MASTERS = List.of("a", "b", "c");

	private static final java.util.function.Predicate<String> ALL = (id) -> true;

	/** Slots 0-5460 on a, 5461-10922 on b, the rest on c, as a fresh 3-master Cluster. */
	private static String owner(int slot) {
		return (slot <= 5460) ? "a" : (slot <= 10922) ? "b" : "c";
	}

	@Test
	void channelsAndPatternsGoToTheBroadcastNodeOnly() {
		Map<String, Set<Wire>> plan = ClusterRoutePlan.plan(
				List.of(new Route(Route.Kind.CHANNEL, "app:events"), new Route(Route.Kind.PATTERN, "app:orders.*")),
				MASTERS, "b", ClusterRoutePlanTests::owner);
		assertThat(plan).containsOnlyKeys("b");
		assertThat(plan.get("b")).containsExactlyInAnyOrder(new Wire(Op.SUBSCRIBE, "app:events"),
				new Wire(Op.PSUBSCRIBE, "app:orders.*"));
	}

	@Test
	void eachShardChannelGoesToTheOwnerOfItsSlot() {
		String name = "app:orders";
		String expected = owner(SlotHash.getSlot(name));
		Map<String, Set<Wire>> plan = ClusterRoutePlan.plan(List.of(new Route(Route.Kind.SHARD_CHANNEL, name)), MASTERS,
				"a", ClusterRoutePlanTests::owner);
		assertThat(plan).containsOnlyKeys(expected);
		assertThat(plan.get(expected)).containsExactly(new Wire(Op.SSUBSCRIBE, name));
	}

	@Test
	void keyspacePatternsGoToEveryMaster() {
		Map<String, Set<Wire>> plan = ClusterRoutePlan.plan(
				List.of(new Route(Route.Kind.NODE_PATTERN, "__keyevent@*__:expired")), MASTERS, "a",
				ClusterRoutePlanTests::owner);
		assertThat(plan).containsOnlyKeys("a", "b", "c");
		assertThat(plan.values()).allSatisfy(
				(wires) -> assertThat(wires).containsExactly(new Wire(Op.PSUBSCRIBE, "__keyevent@*__:expired")));
	}

	@Test
	void aShardChannelWhoseSlotHasNoKnownOwnerAsksForTheTopologyAgain() {
		assertThat(ClusterRoutePlan.plan(List.of(new Route(Route.Kind.CHANNEL, "x"),
				new Route(Route.Kind.SHARD_CHANNEL, "app:orders")), MASTERS, "a", (slot) -> null)).isNull();
	}

	@Test
	void noRoutesNoSubscriptions() {
		assertThat(ClusterRoutePlan.plan(List.of(), MASTERS, "a", ClusterRoutePlanTests::owner)).isEmpty();
	}

	@Test
	void theBroadcastNodeStaysWhileItKeepsTheChannels() {
		assertThat(ClusterRoutePlan.broadcastNode("b", MASTERS, (id) -> true, ALL)).isEqualTo("b");
	}

	@Test
	void theBroadcastNodeMovesToAnotherMasterWhenItsConnectionIsDownOrItLeft() {
		assertThat(ClusterRoutePlan.broadcastNode("a", MASTERS, (id) -> false, ALL)).isEqualTo("b");
		assertThat(ClusterRoutePlan.broadcastNode("z", MASTERS, (id) -> true, ALL)).as("no longer a master").isEqualTo("a");
		assertThat(ClusterRoutePlan.broadcastNode(null, MASTERS, (id) -> true, ALL)).as("first time").isEqualTo("a");
	}

	@Test
	void theChannelsMoveOnlyToAMasterThatIsNotBackingOffFromRefusingTheCredentials() {
		assertThat(ClusterRoutePlan.broadcastNode("a", MASTERS, (id) -> false, (id) -> !id.equals("b")))
			.as("b refused the credentials a moment ago").isEqualTo("c");
		assertThat(ClusterRoutePlan.broadcastNode("a", MASTERS, (id) -> false, (id) -> false))
			.as("every other master is backing off: stay").isEqualTo("a");
		assertThat(ClusterRoutePlan.broadcastNode("z", MASTERS, (id) -> false, (id) -> false))
			.as("the current one left: the first master, though backing off").isEqualTo("a");
	}

	@Test
	void aLoneMasterKeepsTheChannelsEvenWhenItsConnectionIsDown() {
		assertThat(ClusterRoutePlan.broadcastNode("a", List.of("a"), (id) -> false, ALL)).isEqualTo("a");
	}

	@Test
	void withoutMastersThereIsNoBroadcastNode() {
		assertThatIllegalArgumentException().isThrownBy(() -> ClusterRoutePlan.broadcastNode("a", List.of(), (id) -> true, ALL));
	}

	@Test
	void shardChannelsAreUnsubscribedOneCommandPerSlotAndOthersInOne() {
		byte[][] names = { "{a}x".getBytes(), "{a}y".getBytes(), "{b}z".getBytes() };
		List<byte[][]> shard = ClusterRoutePlan.bySlot(true, names);
		assertThat(shard).hasSize(2);
		for (byte[][] command : shard) {
			assertThat(java.util.Arrays.stream(command).map(SlotHash::getSlot).distinct()).hasSize(1);
		}
		assertThat(shard.stream().mapToInt((command) -> command.length).sum()).isEqualTo(3);
		List<byte[][]> plain = ClusterRoutePlan.bySlot(false, names);
		assertThat(plain).hasSize(1);
		assertThat(plain.get(0).length).isEqualTo(3);
		assertThat(ClusterRoutePlan.bySlot(true, new byte[0][])).isEmpty();
	}

}
