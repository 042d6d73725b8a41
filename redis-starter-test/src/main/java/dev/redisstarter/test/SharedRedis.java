package dev.redisstarter.test;

import java.util.EnumMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deployment of each {@link Topology} per JVM, started on first use and stopped when the JVM exits.
 *
 * <p>This is deliberately JVM-wide state: Spring's test framework caches application contexts across test
 * classes for the life of the JVM, so the servers those contexts point at must live as long. Tests that
 * stop or restart a server (fault tests) must start a {@link LocalRedisServer} of their own instead.
 */
public final class SharedRedis {

	private static final Logger logger = LoggerFactory.getLogger(SharedRedis.class);

	private static final Map<Topology, RedisDeployment> deployments = new EnumMap<>(Topology.class);

	private SharedRedis() {
	}

	/**
	 * The shared deployment of a topology, started if it is not yet.
	 * @param topology the shape wanted
	 * @return the running deployment
	 */
	public static synchronized RedisDeployment get(Topology topology) {
		return deployments.computeIfAbsent(topology, SharedRedis::start);
	}

	/**
	 * The shared single server.
	 * @return the running server
	 */
	public static RedisServer standalone() {
		return (RedisServer) get(Topology.STANDALONE);
	}

	/**
	 * The shared three-master cluster.
	 * @return the running cluster
	 */
	public static RedisCluster cluster() {
		return (RedisCluster) get(Topology.CLUSTER);
	}

	/**
	 * The shared sentinel group. Do not stop its master: start a group of your own to watch a failover.
	 * @return the running group
	 */
	public static RedisSentinelGroup sentinel() {
		return (RedisSentinelGroup) get(Topology.SENTINEL);
	}

	private static RedisDeployment start(Topology topology) {
		RedisDeployment deployment = switch (topology) {
			case STANDALONE -> RedisServer.create().start();
			case CLUSTER -> RedisCluster.threeMasters().start();
			case SENTINEL -> RedisSentinelGroup.create().start();
		};
		logger.info("Shared Redis for {} tests: {}{}", topology, deployment,
				(deployment instanceof RedisServer server) ? " (Redis " + server.version() + ")" : "");
		AutoCloseable closeable = (AutoCloseable) deployment;
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// the JVM is exiting; each process also has its own hook
			}
		}, "redis-starter-test-shared-" + topology));
		return deployment;
	}

}
