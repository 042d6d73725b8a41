package dev.redisstarter.core.subscription;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.subscription.NodeConnection.Wire;

/**
 * Puts a Cluster's routes where they belong (see {@link ClusterRoutePlan}): reads the topology when it may have
 * changed, picks the master that carries channels and patterns, opens, feeds and closes one {@link NodeConnection}
 * per master that carries something. Runs on the subscriber's loop thread only.
 */
final class ClusterReconciler {

	/** The topology is read again at least this often even when all looks well. */
	private static final long TOPOLOGY_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(30);

	private final Map<String, NodeConnection> connections;

	private final RefusedNodes refusedNodes;

	private final SubscriptionRefusals refusals;

	private final NodeClients clients;

	private final NodeConnection.Events events;

	private final AtomicBoolean topologyStale;

	/** The master that carries channels and patterns. */
	private @Nullable String broadcastNode;

	private long topologyReadAt;

	/**
	 * @param connections the subscriber's connections by node id (changed here, on the loop thread)
	 * @param refusedNodes nodes refusing credentials or TLS, with their back-offs
	 * @param refusals what is reported of refusals
	 * @param clients opens node connections
	 * @param events what the connections report
	 * @param topologyStale set when the topology must be read again at the next look
	 */
	ClusterReconciler(Map<String, NodeConnection> connections, RefusedNodes refusedNodes,
			SubscriptionRefusals refusals, NodeClients clients, NodeConnection.Events events,
			AtomicBoolean topologyStale) {
		this.connections = connections;
		this.refusedNodes = refusedNodes;
		this.refusals = refusals;
		this.clients = clients;
		this.events = events;
		this.topologyStale = topologyStale;
	}

	/**
	 * Subscribes what is missing where it belongs and unsubscribes the rest.
	 * @param cluster the factory's Cluster client
	 * @param routes every route that has a listener
	 * @param retryRefused whether to send again what the server refused by permission
	 * @return whether everything is where it belongs and confirmed (or refused by permission)
	 */
	boolean reconcile(RedisClusterClient cluster, Set<Route> routes, boolean retryRefused) {
		long now = System.nanoTime();
		if (this.topologyStale.getAndSet(false) || now - this.topologyReadAt > TOPOLOGY_REFRESH_NANOS) {
			this.topologyReadAt = now;
			cluster.refreshPartitions();
		}
		Partitions partitions = cluster.getPartitions();
		Map<String, RedisClusterNode> masters = new LinkedHashMap<>();
		for (RedisClusterNode node : partitions) {
			if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL)
					&& !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)) {
				masters.put(node.getNodeId(), node);
			}
		}
		if (masters.isEmpty()) {
			return routes.isEmpty();
		}
		if (!this.refusedNodes.isEmpty()) {
			this.refusals.forgetNodesThatLeft(this.refusedNodes, allAddresses(partitions));
		}
		String broadcast = pickBroadcastNode(masters);
		Map<String, Set<Wire>> desired = ClusterRoutePlan.plan(routes, masters.keySet(), broadcast, (slot) -> {
			RedisClusterNode owner = partitions.getMasterBySlot(slot);
			return (owner != null) ? owner.getNodeId() : null;
		});
		if (desired == null) {
			this.topologyStale.set(true);
			return false;
		}
		for (String id : new ArrayList<>(this.connections.keySet())) {
			if (!desired.containsKey(id)) {
				this.connections.remove(id).close();
			}
		}
		boolean done = true;
		boolean lookAtTopology = false;
		for (Map.Entry<String, Set<Wire>> entry : desired.entrySet()) {
			RedisClusterNode node = masters.get(entry.getKey());
			if (node == null) {
				node = partitions.getPartitionByNodeId(entry.getKey());
			}
			RedisClusterNode target = Objects.requireNonNull(node);
			NodeConnection connection = this.connections.computeIfAbsent(entry.getKey(),
					(id) -> new NodeConnection(address(target),
							() -> this.clients.nodeClient()
								.connectPubSub(ByteArrayCodec.INSTANCE, this.clients.nodeUri(target.getUri())),
							this.events, this.refusedNodes, this.refusals));
			boolean connected = connection.reconcile(entry.getValue(), retryRefused);
			done &= connected;
			// A node that refuses the credentials is tried again after its back-off; the topology has not changed.
			lookAtTopology |= !connected && !connection.refusesCredentials();
		}
		if (routes.stream().anyMatch((route) -> route.kind() == Route.Kind.NODE_PATTERN)
				&& failedMasterHoldsSlots(partitions)) {
			// Its replica is about to take over, and nothing tells this subscriber (it has no connection to a
			// replica): read the topology again until the promoted master can carry the node patterns too.
			done = false;
			lookAtTopology = true;
		}
		if (lookAtTopology) {
			this.topologyStale.set(true);
		}
		if (done && !this.refusedNodes.isEmpty()) {
			this.refusals.forgetNodesNotUsed(this.refusedNodes, usedAddresses(desired.keySet(), masters, partitions));
		}
		return done;
	}

	private String pickBroadcastNode(Map<String, RedisClusterNode> masters) {
		List<String> masterIds = List.copyOf(masters.keySet());
		String broadcast = ClusterRoutePlan.broadcastNode(this.broadcastNode, masterIds, (id) -> {
			NodeConnection connection = this.connections.get(id);
			if (connection != null && connection.isUp()) {
				return true;
			}
			if (this.refusedNodes.refuses(address(masters.get(id)))) {
				// Its users may differ from the other nodes' (ACL SETUSER acts on one node): try another master
				// whose own back-off is over; stay while every other one is backing off too.
				return masterIds.stream().noneMatch((other) -> !other.equals(id)
						&& !this.refusedNodes.backingOff(address(masters.get(other))));
			}
			return connection == null;
		}, (id) -> !this.refusedNodes.backingOff(address(masters.get(id))));
		this.broadcastNode = broadcast;
		return broadcast;
	}

	private static Set<String> usedAddresses(Set<String> used, Map<String, RedisClusterNode> masters,
			Partitions partitions) {
		Set<String> addresses = new HashSet<>();
		for (String id : used) {
			RedisClusterNode node = masters.containsKey(id) ? masters.get(id) : partitions.getPartitionByNodeId(id);
			if (node != null) {
				addresses.add(address(node));
			}
		}
		return addresses;
	}

	private static Set<String> allAddresses(Partitions partitions) {
		Set<String> addresses = new HashSet<>();
		partitions.forEach((node) -> addresses.add(address(node)));
		return addresses;
	}

	private static String address(RedisClusterNode node) {
		return node.getUri().getHost() + ":" + node.getUri().getPort();
	}

	private static boolean failedMasterHoldsSlots(Partitions partitions) {
		for (RedisClusterNode node : partitions) {
			if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && (node.is(RedisClusterNode.NodeFlag.FAIL)
					|| node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)) && !node.getSlots().isEmpty()) {
				return true;
			}
		}
		return false;
	}

}
