package dev.redisstarter.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link RedisCluster} as an ACL user sees it: the same nodes, that user's credentials. The user must exist on
 * every node ({@link RedisCluster#user}, or {@code ACL SETUSER} through {@link RedisCluster#commandOnEveryNode}).
 */
public final class ClusterUser implements RedisDeployment {

	private final RedisCluster cluster;

	private final String username;

	private final String password;

	ClusterUser(RedisCluster cluster, String username, String password) {
		this.cluster = Objects.requireNonNull(cluster, "cluster must not be null");
		this.username = Objects.requireNonNull(username, "username must not be null");
		this.password = Objects.requireNonNull(password, "password must not be null");
	}

	/**
	 * The cluster.
	 * @return the cluster this is a view of
	 */
	public RedisCluster cluster() {
		return this.cluster;
	}

	/**
	 * The user.
	 * @return its name
	 */
	public String username() {
		return this.username;
	}

	/**
	 * The user's password.
	 * @return the password
	 */
	public String password() {
		return this.password;
	}

	/**
	 * The seed nodes and the user's credentials (a Cluster has no URL, so they are separate properties), and for TLS
	 * a PEM SSL bundle named {@code redis} that trusts the nodes' certificate.
	 */
	@Override
	public Map<String, String> springDataRedisProperties() {
		Map<String, String> properties = new LinkedHashMap<>(this.cluster.springDataRedisProperties());
		properties.put("spring.data.redis.username", this.username);
		properties.put("spring.data.redis.password", this.password);
		if (this.cluster.trustedCertificate() != null) {
			properties.put("spring.data.redis.ssl.enabled", "true");
			properties.put("spring.ssl.bundle.pem.redis.truststore.certificate", "file:" + this.cluster.trustedCertificate());
			properties.put("spring.data.redis.ssl.bundle", "redis");
		}
		return properties;
	}

	@Override
	public String toString() {
		return this.cluster + " as " + this.username;
	}

}
