package dev.redisstarter.secured;

import dev.redisstarter.test.ClusterUser;
import dev.redisstarter.test.LocalRedisServer;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.RedisServer;
import dev.redisstarter.test.TlsCertificates;

/**
 * One server per JVM for the capabilities' contract suites run securely: TLS only, and seen as a user with the
 * README's ACL rule for the suites' key prefixes only ({@code cachetest:}, {@code rltest:}, {@code sesstest:},
 * {@code locktest:}, {@code lbtest:}), plus {@code +info} (the cache suite reads command statistics). Started on first
 * use, stopped when the JVM exits; like {@code SharedRedis}, JVM-wide because contract suites create factories per
 * test.
 */
public final class SecuredRedis {

	private static final String[] PREFIXES = { "cachetest:", "rltest:", "sesstest:", "locktest:", "lbtest:" };

	private static RedisServer contractUser;

	private static ClusterUser clusterContractUser;

	private SecuredRedis() {
	}

	/**
	 * The TLS server as the restricted user.
	 * @return the server view
	 */
	public static synchronized RedisServer contractUser() {
		if (contractUser == null) {
			TlsCertificates certificates = TlsCertificates.create();
			LocalRedisServer server = LocalRedisServer.builder()
				.password("admin-secret")
				.user(rule(""))
				.tls(certificates)
				.build()
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				server.close();
				certificates.delete();
			}, "redis-starter-test-secured"));
			contractUser = server.as("contract", "contract-secret");
		}
		return contractUser;
	}

	/**
	 * A 3-master Cluster over TLS only (between the nodes too) where every node has the restricted user, with the README's Cluster addition
	 * ({@code +cluster|nodes} and {@code +info}: Lettuce reads the topology with {@code CLUSTER NODES} and
	 * {@code INFO} on each node).
	 * @return the cluster as the restricted user
	 */
	public static synchronized ClusterUser clusterContractUser() {
		if (clusterContractUser == null) {
			TlsCertificates certificates = TlsCertificates.create();
			RedisCluster cluster = RedisCluster.threeMasters()
				.password("admin-secret")
				.user(rule(" +cluster|nodes"))
				.tls(certificates)
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				cluster.close();
				certificates.delete();
			}, "redis-starter-test-secured-cluster"));
			clusterContractUser = cluster.as("contract", "contract-secret");
		}
		return clusterContractUser;
	}

	/** The README's rule for the suites' prefixes, {@code +info}, and what follows. */
	private static String rule(String more) {
		StringBuilder rule = new StringBuilder("contract on >contract-secret resetkeys resetchannels");
		for (String prefix : PREFIXES) {
			rule.append(" ~").append(prefix).append("* &").append(prefix).append('*');
		}
		rule.append(" -@all +@connection +@read +@write +@pubsub +eval +evalsha +time -@dangerous +info").append(more);
		return rule.toString();
	}

}
