package dev.redisstarter.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A Redis Cluster of private {@code redis-server} processes on free loopback ports, formed by the launcher
 * itself: every node meets the first, the 16384 slots are split evenly over the masters, replicas follow
 * their master, and {@link #start()} returns once every node reports {@code cluster_state:ok} with all
 * slots assigned.
 */
public final class RedisCluster implements RedisDeployment, AutoCloseable {

	/** The number of hash slots of every Redis Cluster. */
	public static final int SLOTS = 16384;

	private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(60);

	private final int masterCount;

	private final int replicasPerMaster;

	private final List<LocalRedisServer> masters = new ArrayList<>();

	private final List<LocalRedisServer> replicas = new ArrayList<>();

	private @Nullable String password;

	private final List<String> users = new ArrayList<>();

	private @Nullable TlsCertificates tls;

	private RedisCluster(int masterCount, int replicasPerMaster) {
		if (masterCount < 1) {
			throw new IllegalArgumentException("masters must be at least 1, was " + masterCount);
		}
		if (replicasPerMaster < 0) {
			throw new IllegalArgumentException("replicasPerMaster must not be negative, was " + replicasPerMaster);
		}
		this.masterCount = masterCount;
		this.replicasPerMaster = replicasPerMaster;
	}

	/**
	 * A cluster of three masters and no replicas.
	 * @return the cluster, not started
	 */
	public static RedisCluster threeMasters() {
		return of(3, 0);
	}

	/**
	 * A cluster of the given shape.
	 * @param masters how many masters share the slots
	 * @param replicasPerMaster how many replicas follow each master
	 * @return the cluster, not started
	 */
	public static RedisCluster of(int masters, int replicasPerMaster) {
		return new RedisCluster(masters, replicasPerMaster);
	}

	/**
	 * A password for the default user of every node ({@code --requirepass}, and {@code --masterauth} for replicas);
	 * the launcher authenticates with it. Before {@link #start()}.
	 * @param password the password
	 * @return this cluster
	 */
	public synchronized RedisCluster password(String password) {
		requireNotStarted();
		this.password = password;
		return this;
	}

	/**
	 * An ACL user on every node ({@code --user}), such as {@code "app on >secret ~app:* &app:* +@all"}: a Cluster
	 * keeps ACLs per node, so a user must exist on each. After start, change users on every node with
	 * {@link #commandOnEveryNode}. Before {@link #start()}.
	 * @param rule the user's name and rules, separated by spaces
	 * @return this cluster
	 */
	public synchronized RedisCluster user(String rule) {
		requireNotStarted();
		this.users.add(rule);
		return this;
	}

	/**
	 * Every node listens with TLS only and the nodes talk to each other with TLS ({@code tls-cluster yes},
	 * {@code tls-replication yes}), presenting these certificates. Before {@link #start()}.
	 * @param certificates what the nodes present
	 * @return this cluster
	 */
	public synchronized RedisCluster tls(TlsCertificates certificates) {
		requireNotStarted();
		this.tls = certificates;
		return this;
	}

	/**
	 * The certificate clients trust, PEM, for a cluster that listens with TLS.
	 * @return the file, or {@code null} without TLS
	 */
	public synchronized @Nullable Path trustedCertificate() {
		return (this.tls != null) ? this.tls.certificate() : null;
	}

	private void requireNotStarted() {
		if (!this.masters.isEmpty()) {
			throw new IllegalStateException("The cluster is started: configure it before start()");
		}
	}

	/**
	 * Sends one command to every node, masters first, as the default user: for what each node keeps for itself,
	 * such as {@code ACL SETUSER} or {@code CONFIG SET}.
	 * @param command the command and its arguments
	 * @return each node's reply, in the order of {@link #nodes()}
	 */
	public List<@Nullable Object> commandOnEveryNode(String... command) {
		List<@Nullable Object> replies = new ArrayList<>();
		for (LocalRedisServer node : nodes()) {
			replies.add(node.command(command));
		}
		return replies;
	}

	/**
	 * This cluster as seen by an ACL user that exists on every node (see {@link #user}): its
	 * {@link RedisDeployment#springDataRedisProperties()} carry that user's credentials.
	 * @param username the user
	 * @param userPassword its password
	 * @return a view of this cluster
	 */
	public ClusterUser as(String username, String userPassword) {
		return new ClusterUser(this, username, userPassword);
	}

	/**
	 * Starts every node and forms the cluster; a started cluster is left as it is.
	 * @return this cluster
	 */
	public synchronized RedisCluster start() {
		if (!this.masters.isEmpty()) {
			return this;
		}
		try {
			for (int i = 0; i < this.masterCount; i++) {
				this.masters.add(startNode());
			}
			for (int i = 0; i < this.masterCount * this.replicasPerMaster; i++) {
				this.replicas.add(startNode());
			}
			form();
			return this;
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	private LocalRedisServer startNode() {
		LocalRedisServer.Builder builder = LocalRedisServer.builder()
			.config("cluster-enabled", "yes")
			.config("cluster-config-file", "nodes.conf")
			.config("cluster-node-timeout", "5000");
		if (this.password != null) {
			builder.password(this.password).config("masterauth", this.password);
		}
		this.users.forEach(builder::user);
		if (this.tls != null) {
			builder.tls(this.tls).config("tls-cluster", "yes").config("tls-replication", "yes");
		}
		return builder.build().start();
	}

	private void form() {
		LocalRedisServer first = this.masters.get(0);
		for (LocalRedisServer node : nodes()) {
			if (node != first) {
				first.command("CLUSTER", "MEET", node.host(), Integer.toString(node.port()));
			}
		}
		for (int i = 0; i < this.masterCount; i++) {
			int from = i * SLOTS / this.masterCount;
			int to = (i + 1) * SLOTS / this.masterCount;
			List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			for (int slot = from; slot < to; slot++) {
				command.add(Integer.toString(slot));
			}
			this.masters.get(i).command(command.toArray(String[]::new));
		}
		awaitAllNodesKnown();
		for (int i = 0; i < this.replicas.size(); i++) {
			LocalRedisServer master = this.masters.get(i % this.masterCount);
			String masterId = String.valueOf(master.command("CLUSTER", "MYID"));
			this.replicas.get(i).command("CLUSTER", "REPLICATE", masterId);
		}
		awaitClusterOk();
	}

	private void awaitAllNodesKnown() {
		String expected = Integer.toString(nodes().size());
		Await.until("every node to know all " + expected + " nodes", FORMATION_TIMEOUT,
				() -> nodes().stream().allMatch((node) -> expected.equals(clusterInfo(node).get("cluster_known_nodes"))));
	}

	private void awaitClusterOk() {
		String slots = Integer.toString(SLOTS);
		Await.until("cluster_state:ok with all slots assigned on every node", FORMATION_TIMEOUT, () -> nodes().stream().allMatch((node) -> {
			Map<String, String> info = clusterInfo(node);
			return "ok".equals(info.get("cluster_state")) && slots.equals(info.get("cluster_slots_ok"));
		}));
	}

	private static Map<String, String> clusterInfo(LocalRedisServer node) {
		return ServerInfo.parse(String.valueOf(node.command("CLUSTER", "INFO")));
	}


	/**
	 * The masters, in the order of their slot ranges.
	 * @return the master nodes
	 */
	public synchronized List<LocalRedisServer> masters() {
		return List.copyOf(this.masters);
	}

	/**
	 * Every node, masters first.
	 * @return all nodes
	 */
	public synchronized List<LocalRedisServer> nodes() {
		List<LocalRedisServer> nodes = new ArrayList<>(this.masters);
		nodes.addAll(this.replicas);
		return nodes;
	}

	/**
	 * The seed nodes in {@code host:port,host:port} form.
	 * @return the addresses of all masters
	 */
	public String seedNodes() {
		return masters().stream().map(LocalRedisServer::address).collect(Collectors.joining(","));
	}

	/**
	 * The master that serves a slot.
	 * @param slot a hash slot, 0 to 16383
	 * @return the master whose range holds the slot
	 */
	public @Nullable LocalRedisServer masterForSlot(int slot) {
		List<LocalRedisServer> current = masters();
		for (int i = 0; i < current.size(); i++) {
			if (slot < (i + 1) * SLOTS / current.size()) {
				return current.get(i);
			}
		}
		return null;
	}

	@Override
	public Map<String, String> springDataRedisProperties() {
		return Map.of("spring.data.redis.cluster.nodes", seedNodes());
	}

	/** Stops every node. */
	@Override
	public synchronized void close() {
		nodes().forEach(LocalRedisServer::close);
		this.masters.clear();
		this.replicas.clear();
	}

	@Override
	public String toString() {
		List<LocalRedisServer> current = masters();
		return "RedisCluster[" + seedNodes() + (current.isEmpty() ? "" : ", Redis " + current.get(0).version()) + "]";
	}

}
