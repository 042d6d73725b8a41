package dev.redisstarter.test.spring;

import java.util.List;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SslOptions;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.test.ClusterUser;
import dev.redisstarter.test.RedisCluster;
import dev.redisstarter.test.RedisDeployment;
import dev.redisstarter.test.RedisSentinelGroup;
import dev.redisstarter.test.RedisServer;

/**
 * Independent Lettuce connection factories for a deployment, each with connections of its own: several of
 * them stand in for several application instances in concurrency tests.
 */
public final class ConnectionFactories {

	private ConnectionFactories() {
	}

	/**
	 * A started factory for one server with a short command timeout, for tests that stop the server and need
	 * calls to fail fast. The caller destroys it.
	 * @param server the server
	 * @param commandTimeout how long a command may wait for its reply
	 * @return a started factory
	 */
	public static LettuceConnectionFactory lettuce(RedisServer server, java.time.Duration commandTimeout) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(standalone(server),
				client(server).commandTimeout(commandTimeout).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * A started factory for a plain address (a proxy in front of a server, most often), with Lettuce's default
	 * command timeout. The caller destroys it.
	 * @param host the host
	 * @param port the port
	 * @return a started factory
	 */
	public static LettuceConnectionFactory lettuce(String host, int port) {
		return started(new LettuceConnectionFactory(host, port));
	}

	/**
	 * A started factory for a plain address with a command timeout. The caller destroys it.
	 * @param host the host
	 * @param port the port
	 * @param commandTimeout how long a command may wait for its reply
	 * @return a started factory
	 */
	public static LettuceConnectionFactory lettuce(String host, int port, java.time.Duration commandTimeout) {
		return started(new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port),
				LettuceClientConfiguration.builder().commandTimeout(commandTimeout).build()));
	}

	private static LettuceConnectionFactory started(LettuceConnectionFactory factory) {
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** The server's address and the credentials it asks for. */
	private static RedisStandaloneConfiguration standalone(RedisServer server) {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(server.host(), server.port());
		if (server.username() != null) {
			configuration.setUsername(server.username());
		}
		if (server.password() != null) {
			configuration.setPassword(server.password());
		}
		return configuration;
	}

	/** TLS trusting the server's own certificate, when it listens with TLS. */
	private static LettuceClientConfiguration.LettuceClientConfigurationBuilder client(RedisServer server) {
		LettuceClientConfiguration.LettuceClientConfigurationBuilder builder = LettuceClientConfiguration.builder();
		if (server.trustedCertificate() != null) {
			builder.useSsl();
			builder.clientOptions(ClientOptions.builder()
				.sslOptions(SslOptions.builder().trustManager(server.trustedCertificate().toFile()).build())
				.build());
		}
		return builder;
	}

	/**
	 * A started factory for the deployment. The caller destroys it.
	 * @param deployment a server, cluster or sentinel group
	 * @return a started factory
	 */
	public static LettuceConnectionFactory lettuce(RedisDeployment deployment) {
		LettuceConnectionFactory factory;
		if (deployment instanceof RedisCluster cluster) {
			factory = new LettuceConnectionFactory(new RedisClusterConfiguration(List.of(cluster.seedNodes().split(","))));
		}
		else if (deployment instanceof ClusterUser user) {
			RedisClusterConfiguration configuration = new RedisClusterConfiguration(
					List.of(user.cluster().seedNodes().split(",")));
			configuration.setUsername(user.username());
			configuration.setPassword(user.password());
			LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder();
			if (user.cluster().trustedCertificate() != null) {
				client.useSsl();
				client.clientOptions(io.lettuce.core.cluster.ClusterClientOptions.builder()
					.sslOptions(SslOptions.builder().trustManager(user.cluster().trustedCertificate().toFile()).build())
					.build());
			}
			factory = new LettuceConnectionFactory(configuration, client.build());
		}
		else if (deployment instanceof RedisSentinelGroup group) {
			factory = new LettuceConnectionFactory(new RedisSentinelConfiguration(group.masterName(),
					new java.util.HashSet<>(List.of(group.sentinelNodes().split(",")))));
		}
		else if (deployment instanceof RedisServer server) {
			factory = new LettuceConnectionFactory(standalone(server), client(server).build());
		}
		else {
			throw new IllegalArgumentException("Unknown deployment " + deployment);
		}
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
