package dev.redisstarter.test.schedule;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.RedisSentinelGroup;

/** The faults of replicated deployments: a Sentinel failover, a Cluster master killed. */
final class ReplicatedTargets {

	private final @Nullable RedisSentinelGroup sentinel;

	private final @Nullable RedisCluster cluster;

	private final Duration timeout;

	private @Nullable LocalRedisServer killedMaster;

	ReplicatedTargets(@Nullable RedisSentinelGroup sentinel, @Nullable RedisCluster cluster, Duration timeout) {
		this.sentinel = sentinel;
		this.cluster = cluster;
		this.timeout = timeout;
	}

	void check(FaultKind kind) {
		if (kind == FaultKind.SENTINEL_FAILOVER && this.sentinel == null) {
			throw new IllegalArgumentException("The schedule has SENTINEL_FAILOVER faults but the injector has no Sentinel group");
		}
		if (kind == FaultKind.CLUSTER_MASTER_KILLED
				&& (this.cluster == null || this.cluster.nodes().size() == this.cluster.masters().size())) {
			throw new IllegalArgumentException(
					"The schedule has CLUSTER_MASTER_KILLED faults but the injector has no Cluster with replicas (RedisCluster.of(3, 1))");
		}
	}

	void inject(ScheduledFault fault) {
		if (fault.kind() == FaultKind.SENTINEL_FAILOVER) {
			sentinel().failover(this.timeout);
		}
		else {
			// Only a master with a replica in sync can be replaced: a cluster just formed (or just healed) may
			// still be attaching its replicas.
			await("every master to have a replica in sync", () -> {
				List<LocalRedisServer> masters = slotOwners();
				return !masters.isEmpty() && masters.stream().allMatch((master) -> !followers(master).isEmpty());
			});
			List<LocalRedisServer> masters = slotOwners();
			LocalRedisServer victim = masters.get(fault.target() % masters.size());
			List<LocalRedisServer> followers = followers(victim);
			this.killedMaster = victim;
			victim.stop();
			await("a replica to take over from " + victim.address(),
					() -> followers.stream().anyMatch(ReplicatedTargets::isMasterSafely) && clusterOk());
		}
	}

	void heal(ScheduledFault fault) {
		if (fault.kind() == FaultKind.SENTINEL_FAILOVER) {
			RedisSentinelGroup group = sentinel();
			await("the old master to follow the new one", () -> List.of(group.master(), group.replica())
				.stream()
				.filter((server) -> !server.address().equals(group.currentMasterAddress()))
				.allMatch(ReplicatedTargets::replicaInSync));
		}
		else {
			LocalRedisServer node = this.killedMaster;
			if (node != null) {
				node.start();
				this.killedMaster = null;
				await("the killed master to rejoin as a replica", () -> clusterOk() && replicaInSync(node));
			}
		}
	}

	void healAll() {
		LocalRedisServer node = this.killedMaster;
		if (node != null) {
			node.start();
			this.killedMaster = null;
		}
	}

	private boolean clusterOk() {
		return cluster().nodes().stream().filter(LocalRedisServer::isRunning).allMatch((node) -> {
			try {
				return String.valueOf(node.command("CLUSTER", "INFO")).contains("cluster_state:ok");
			}
			catch (RuntimeException ex) {
				return false;
			}
		});
	}

	/** The running masters that serve slots, in the cluster's node order. */
	private List<LocalRedisServer> slotOwners() {
		return cluster().nodes().stream().filter(LocalRedisServer::isRunning).filter((node) -> {
			try {
				return isMaster(node) && String.valueOf(node.command("CLUSTER", "NODES"))
					.lines()
					.filter((line) -> line.contains("myself"))
					.anyMatch((line) -> line.strip().split(" ").length > 8);
			}
			catch (RuntimeException ex) {
				return false;
			}
		}).toList();
	}

	/** The running replicas of a master whose link to it is up. */
	private List<LocalRedisServer> followers(LocalRedisServer master) {
		return cluster().nodes().stream()
			.filter((node) -> node.isRunning() && followsPort(node, master.port()) && replicaInSync(node))
			.toList();
	}

	private static boolean isMaster(LocalRedisServer node) {
		Object role = node.command("ROLE");
		return role instanceof List<?> list && !list.isEmpty() && "master".equals(list.get(0));
	}

	private static boolean followsPort(LocalRedisServer node, int port) {
		try {
			return String.valueOf(node.command("INFO", "replication")).lines()
				.anyMatch((line) -> line.strip().equals("master_port:" + port));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static boolean isMasterSafely(LocalRedisServer node) {
		try {
			return isMaster(node);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static boolean replicaInSync(LocalRedisServer node) {
		try {
			String info = String.valueOf(node.command("INFO", "replication"));
			return info.contains("role:slave") && info.contains("master_link_status:up");
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Timed out after " + this.timeout + " waiting for " + what);
			}
			JvmProcess.sleep(Duration.ofMillis(100));
		}
	}

	private RedisSentinelGroup sentinel() {
		if (this.sentinel == null) {
			throw new IllegalStateException("No Sentinel group");
		}
		return this.sentinel;
	}

	private RedisCluster cluster() {
		if (this.cluster == null) {
			throw new IllegalStateException("No Cluster");
		}
		return this.cluster;
	}

}
