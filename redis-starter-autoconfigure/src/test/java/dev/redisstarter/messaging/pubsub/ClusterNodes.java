package dev.redisstarter.messaging.pubsub;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;

import static org.awaitility.Awaitility.await;

/**
 * What the running nodes of a Cluster say about themselves ({@code CLUSTER NODES}, {@code CLUSTER KEYSLOT}),
 * for tests that move slots and stop masters: after a failover the launcher's own lists no longer say who
 * serves a slot.
 */
final class ClusterNodes {

	private ClusterNodes() {
	}

	static int slot(RedisCluster cluster, String key) {
		return ((Long) Objects.requireNonNull(running(cluster).get(0).command("CLUSTER", "KEYSLOT", key))).intValue();
	}

	static String id(LocalRedisServer node) {
		return String.valueOf(node.command("CLUSTER", "MYID"));
	}

	/** The running master that claims the slot as its own (its {@code myself} line lists it). */
	static Optional<LocalRedisServer> owner(RedisCluster cluster, int slot) {
		return runningMasters(cluster).stream().filter((node) -> claims(node, slot)).findFirst();
	}

	static LocalRedisServer awaitOwner(RedisCluster cluster, int slot, Duration atMost) {
		return await().atMost(atMost).until(() -> owner(cluster, slot), Optional::isPresent).orElseThrow();
	}

	/** The running nodes that are masters by their own account. */
	static List<LocalRedisServer> runningMasters(RedisCluster cluster) {
		return running(cluster).stream()
			.filter((node) -> List.of(myself(node).split(" ")[2].split(",")).contains("master"))
			.toList();
	}

	static List<LocalRedisServer> running(RedisCluster cluster) {
		return cluster.nodes().stream().filter(LocalRedisServer::isRunning).toList();
	}

	/**
	 * Moves an empty slot (a shard channel's slot holds no keys) the way {@code redis-cli --cluster reshard}
	 * does, without {@code MIGRATE}: importing on the target, migrating on the source, then the new owner on
	 * every master, the target first.
	 */
	static void moveSlot(RedisCluster cluster, int slot, LocalRedisServer from, LocalRedisServer to) {
		String fromId = id(from);
		String toId = id(to);
		String slotText = Integer.toString(slot);
		to.command("CLUSTER", "SETSLOT", slotText, "IMPORTING", fromId);
		from.command("CLUSTER", "SETSLOT", slotText, "MIGRATING", toId);
		to.command("CLUSTER", "SETSLOT", slotText, "NODE", toId);
		from.command("CLUSTER", "SETSLOT", slotText, "NODE", toId);
		for (LocalRedisServer master : runningMasters(cluster)) {
			if (master != from && master != to) {
				master.command("CLUSTER", "SETSLOT", slotText, "NODE", toId);
			}
		}
	}

	/**
	 * Waits until every replica has finished its first sync with its master. A replica that never synced
	 * counts its data as infinitely old and refuses to fail over ({@code cluster-replica-validity-factor}), and
	 * the first sync starts only after {@code repl-diskless-sync-delay} (5 s), so a master stopped just after
	 * the Cluster formed would never be replaced.
	 */
	static void awaitReplicasInSync(RedisCluster cluster, Duration atMost) {
		await().atMost(atMost).until(() -> running(cluster).stream()
			.filter((node) -> List.of(myself(node).split(" ")[2].split(",")).contains("slave"))
			.allMatch((replica) -> String.valueOf(replica.command("INFO", "replication"))
				.contains("master_link_status:up")));
	}

	/**
	 * Waits until every node sees the masters that are masters by their own account, and only those: a Cluster
	 * just formed has its replicas start as empty masters, and a client that reads the topology from a node
	 * that has not heard of a replica's new role yet takes it for a master.
	 */
	static void awaitAgreedRoles(RedisCluster cluster, Duration atMost) {
		await().atMost(atMost).until(() -> {
			Set<String> masters = new HashSet<>();
			runningMasters(cluster).forEach((node) -> masters.add(id(node)));
			return running(cluster).stream().allMatch((node) -> mastersSeenBy(node).equals(masters));
		});
	}

	private static Set<String> mastersSeenBy(LocalRedisServer node) {
		Set<String> masters = new HashSet<>();
		for (String line : String.valueOf(node.command("CLUSTER", "NODES")).split("\n")) {
			String[] fields = line.strip().split(" ");
			if (fields.length > 2 && List.of(fields[2].split(",")).contains("master")
					&& !List.of(fields[2].split(",")).contains("fail")) {
				masters.add(fields[0]);
			}
		}
		return masters;
	}

	private static boolean claims(LocalRedisServer node, int slot) {
		String[] fields = myself(node).split(" ");
		for (int i = 8; i < fields.length; i++) {
			String range = fields[i];
			if (range.startsWith("[")) {
				continue; // a slot being imported or migrated, not yet owned
			}
			int dash = range.indexOf('-');
			int first = Integer.parseInt((dash < 0) ? range : range.substring(0, dash));
			int last = (dash < 0) ? first : Integer.parseInt(range.substring(dash + 1));
			if (slot >= first && slot <= last) {
				return true;
			}
		}
		return false;
	}

	/** The node's own line of {@code CLUSTER NODES}: {@code id addr flags master ping pong epoch link slots...}. */
	private static String myself(LocalRedisServer node) {
		for (String line : String.valueOf(node.command("CLUSTER", "NODES")).split("\n")) {
			String[] fields = line.strip().split(" ");
			if (fields.length > 2 && fields[2].contains("myself")) {
				return line.strip();
			}
		}
		throw new IllegalStateException(node + " does not list itself in CLUSTER NODES");
	}

}
