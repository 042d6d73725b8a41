package dev.redisstarter.core.subscription;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.subscription.NodeConnection.Op;
import dev.redisstarter.core.subscription.NodeConnection.Wire;

/**
 * Which Cluster node carries which subscription, decided from the routes and the topology alone (no Redis, so it is
 * unit-tested): channels and patterns on one master (a {@code PUBLISH} reaches every node), each shard channel on the
 * master that owns its slot, keyspace-notification patterns on every master (a node publishes only its own keys'
 * events).
 */
final class ClusterRoutePlan {

	private ClusterRoutePlan() {
	}

	/**
	 * The master that carries the channels and patterns.
	 * @param current the one that carries them now, or {@code null}
	 * @param masters the masters that are up, in topology order
	 * @param keepsThem whether the current one should keep them: its connection is up (moving would deliver twice
	 * what both hear during the move), not yet opened, or refused its credentials while every other master is
	 * backing off from refusing them too
	 * @param eligible whether a master may take them over now (not backing off after refusing the credentials)
	 * @return the current one when it is still a master that keeps them, else the first other eligible master, else
	 * the current one (or the first master) when none is eligible
	 */
	static String broadcastNode(@Nullable String current, List<String> masters, Predicate<String> keepsThem,
			Predicate<String> eligible) {
		if (masters.isEmpty()) {
			throw new IllegalArgumentException("There is no master to subscribe on");
		}
		boolean stillMaster = current != null && masters.contains(current);
		if (stillMaster && keepsThem.test(current)) {
			return current;
		}
		return masters.stream()
			.filter((id) -> !id.equals(current) && eligible.test(id))
			.findFirst()
			.orElse(stillMaster ? current : masters.get(0));
	}

	/**
	 * What each node should carry.
	 * @param routes what the listeners subscribe to
	 * @param masters the masters that are up
	 * @param broadcast the master for channels and patterns ({@link #broadcastNode})
	 * @param slotOwner the master that owns a slot, or {@code null} when the topology does not say
	 * @return the subscriptions by node id, or {@code null} when a shard channel's slot has no known owner (read the
	 * topology again)
	 */
	static @Nullable Map<String, Set<Wire>> plan(Collection<Route> routes, Collection<String> masters, String broadcast,
			IntFunction<@Nullable String> slotOwner) {
		Map<String, Set<Wire>> desired = new HashMap<>();
		for (Route route : routes) {
			switch (route.kind()) {
				case CHANNEL -> wires(desired, broadcast).add(new Wire(Op.SUBSCRIBE, route.name()));
				case PATTERN -> wires(desired, broadcast).add(new Wire(Op.PSUBSCRIBE, route.name()));
				case SHARD_CHANNEL -> {
					String owner = slotOwner.apply(SlotHash.getSlot(route.name()));
					if (owner == null) {
						return null;
					}
					wires(desired, owner).add(new Wire(Op.SSUBSCRIBE, route.name()));
				}
				case NODE_PATTERN -> masters.forEach((id) -> wires(desired, id).add(new Wire(Op.PSUBSCRIBE, route.name())));
			}
		}
		return desired;
	}

	private static Set<Wire> wires(Map<String, Set<Wire>> desired, String node) {
		return desired.computeIfAbsent(node, (id) -> new HashSet<>());
	}

	/**
	 * Names to unsubscribe, as the commands to send: for shard channels one command per slot (a multi-slot
	 * {@code SUNSUBSCRIBE} is refused with {@code CROSSSLOT}), otherwise all in one.
	 * @param shardChannels whether the names are shard channels
	 * @param names the names
	 * @return the names of each command
	 */
	static List<byte[][]> bySlot(boolean shardChannels, byte[][] names) {
		if (names.length == 0) {
			return List.of();
		}
		if (!shardChannels || names.length == 1) {
			return List.<byte[][]>of(names);
		}
		Map<Integer, List<byte[]>> slots = new TreeMap<>();
		for (byte[] name : names) {
			slots.computeIfAbsent(SlotHash.getSlot(name), (slot) -> new ArrayList<>()).add(name);
		}
		return slots.values().stream().map((group) -> group.toArray(byte[][]::new)).toList();
	}

}
