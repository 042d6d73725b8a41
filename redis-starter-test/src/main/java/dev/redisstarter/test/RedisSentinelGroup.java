package dev.redisstarter.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A master, one replica and three sentinels (quorum 2) on free loopback ports. Sentinels mark the master
 * down after one second, so {@link #stopMaster()} followed by {@link #awaitFailover(Duration)} shows a
 * failover within a few seconds.
 */
public final class RedisSentinelGroup implements RedisDeployment, AutoCloseable {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

	private final String masterName;

	private final List<LocalRedisServer> sentinels = new ArrayList<>();

	private LocalRedisServer master;

	private LocalRedisServer replica;

	private RedisSentinelGroup(String masterName) {
		this.masterName = masterName;
	}

	/**
	 * A group whose master is monitored under the name {@code mymaster}.
	 * @return the group, not started
	 */
	public static RedisSentinelGroup create() {
		return new RedisSentinelGroup("mymaster");
	}

	/**
	 * Starts the master, the replica and the sentinels, and waits until the replica is in sync and every
	 * sentinel knows the replica and the other sentinels (so that a failover can be voted).
	 * @return this group
	 */
	public synchronized RedisSentinelGroup start() {
		if (this.master != null) {
			return this;
		}
		try {
			this.master = LocalRedisServer.builder().build().start();
			this.replica = LocalRedisServer.builder().config("replicaof", "127.0.0.1 " + this.master.port()).build().start();
			for (int i = 0; i < 3; i++) {
				this.sentinels.add(LocalRedisServer.builder().sentinelConfig(sentinelConfig()).build().start());
			}
			Await.until("the replica to be in sync", READY_TIMEOUT, () -> "up"
				.equals(ServerInfo.parse(String.valueOf(this.replica.command("INFO", "replication"))).get("master_link_status")));
			Await.until("every sentinel to see the replica and the two other sentinels", READY_TIMEOUT, () -> this.sentinels.stream()
				.allMatch((sentinel) -> size(sentinel.command("SENTINEL", "REPLICAS", this.masterName)) == 1
						&& size(sentinel.command("SENTINEL", "SENTINELS", this.masterName)) == 2));
			return this;
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	private String sentinelConfig() {
		return String.join("\n", "sentinel monitor " + this.masterName + " 127.0.0.1 " + this.master.port() + " 2",
				"sentinel down-after-milliseconds " + this.masterName + " 1000",
				"sentinel failover-timeout " + this.masterName + " 10000",
				"sentinel parallel-syncs " + this.masterName + " 1", "");
	}

	private static int size(Object reply) {
		return (reply instanceof List<?> list) ? list.size() : 0;
	}

	/** Stops the current master's process, so that the sentinels promote the replica. */
	public synchronized void stopMaster() {
		this.master.stop();
	}

	/**
	 * Waits until the sentinels name a master other than the one first started.
	 * @param timeout how long to wait
	 * @return the address of the new master, in {@code host:port} form
	 */
	public String awaitFailover(Duration timeout) {
		String original = this.master.address();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			String current = currentMasterAddress();
			if (!current.equals(original)) {
				return current;
			}
			LocalRedisServer.sleep(Duration.ofMillis(100));
		}
		throw new IllegalStateException("No failover from " + original + " within " + timeout);
	}

	/**
	 * Makes the sentinels promote a replica without the master failing ({@code SENTINEL FAILOVER}), and waits
	 * until they name the new master; the old master is turned into a replica of it. Writes the old master had
	 * not yet sent to its replica are lost, as in any failover.
	 * @param timeout how long to wait for the new master
	 * @return the address of the new master, in {@code host:port} form
	 */
	public String failover(Duration timeout) {
		String before = currentMasterAddress();
		this.sentinels.get(0).command("SENTINEL", "FAILOVER", this.masterName);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			String current = currentMasterAddress();
			if (!current.equals(before)) {
				return current;
			}
			LocalRedisServer.sleep(Duration.ofMillis(100));
		}
		throw new IllegalStateException("No failover from " + before + " within " + timeout);
	}

	/**
	 * The master's address as the first sentinel reports it.
	 * @return {@code host:port}
	 */
	public String currentMasterAddress() {
		Object reply = this.sentinels.get(0).command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.masterName);
		List<?> address = (List<?>) reply;
		return address.get(0) + ":" + address.get(1);
	}

	/**
	 * The name the sentinels monitor the master under.
	 * @return the master name
	 */
	public String masterName() {
		return this.masterName;
	}

	/**
	 * The sentinels' addresses in {@code host:port,host:port} form.
	 * @return the sentinel nodes
	 */
	public synchronized String sentinelNodes() {
		return this.sentinels.stream().map(LocalRedisServer::address).collect(Collectors.joining(","));
	}

	/**
	 * The server started as master.
	 * @return the first master
	 */
	public synchronized LocalRedisServer master() {
		return this.master;
	}

	/**
	 * The server started as replica.
	 * @return the replica
	 */
	public synchronized LocalRedisServer replica() {
		return this.replica;
	}

	@Override
	public synchronized String toString() {
		return "RedisSentinelGroup[" + this.masterName + ", sentinels " + sentinelNodes() + "]";
	}

	@Override
	public Map<String, String> springDataRedisProperties() {
		return Map.of("spring.data.redis.sentinel.master", this.masterName, "spring.data.redis.sentinel.nodes",
				sentinelNodes());
	}


	/** Stops every process of the group. */
	@Override
	public synchronized void close() {
		this.sentinels.forEach(LocalRedisServer::close);
		this.sentinels.clear();
		if (this.replica != null) {
			this.replica.close();
		}
		if (this.master != null) {
			this.master.close();
		}
	}

}
