package dev.redisstarter.core.subscription;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.RedisCredentialsProviderFactory;

import dev.redisstarter.core.RedisAccess;

/**
 * Where the subscriber's connections come from: on a single server the factory's client, on a Cluster a client of
 * its own for node connections (a pub/sub connection belongs to one node), sharing the factory's client's resources
 * and options, and each node's address carrying the factory's TLS settings and credentials.
 */
final class NodeClients {

	private final RedisAccess access;

	private volatile @Nullable RedisClient nodeClient;

	private @Nullable AbstractRedisClient nodeClientOwner;

	NodeClients(RedisAccess access) {
		this.access = access;
	}

	/**
	 * The address of a Cluster node with the factory's connection settings: a node's URI from the topology has the
	 * host and port only, and connecting with it would subscribe without TLS and as the default user instead of the
	 * application's (whose ACL channel rules then go unchecked, or NOAUTH refuses the connection).
	 */
	RedisURI nodeUri(RedisURI node) {
		LettuceConnectionFactory factory = this.access.connectionFactory();
		LettuceClientConfiguration client = factory.getClientConfiguration();
		RedisURI.Builder builder = RedisURI.builder()
			.withHost(node.getHost())
			.withPort(node.getPort())
			.withTimeout(client.getCommandTimeout())
			.withSsl(client.isUseSsl())
			.withStartTls(client.isStartTls());
		if (client.isUseSsl()) {
			builder.withVerifyPeer(client.getVerifyMode());
		}
		client.getClientName().ifPresent(builder::withClientName);
		RedisClusterConfiguration cluster = factory.getClusterConfiguration();
		if (cluster != null) {
			Optional<RedisCredentialsProviderFactory> credentials = client.getRedisCredentialsProviderFactory();
			if (credentials.isPresent()) {
				builder.withAuthentication(credentials.get().createCredentialsProvider(cluster));
			}
			else if (cluster.getPassword().isPresent()) {
				char[] password = cluster.getPassword().get();
				if (cluster.getUsername() != null && !cluster.getUsername().isEmpty()) {
					builder.withAuthentication(cluster.getUsername(), password);
				}
				else {
					builder.withPassword(password);
				}
			}
		}
		return builder.build();
	}

	/** Asks the factory for its client at every open: a stopped and restarted factory has a new one. */
	StatefulRedisPubSubConnection<byte[], byte[]> openStandalone() {
		if (this.access.connectionFactory().getNativeClient() instanceof RedisClient client) {
			return client.connectPubSub(ByteArrayCodec.INSTANCE);
		}
		throw new IllegalStateException("The connection factory no longer has a standalone client");
	}

	/**
	 * The client for Cluster node connections: shares the factory's cluster client's resources and options (TLS,
	 * protocol, timeouts), and is made again when the factory's client changes (a stopped and restarted factory).
	 */
	synchronized RedisClient nodeClient() {
		AbstractRedisClient owner = this.access.connectionFactory().getNativeClient();
		RedisClient client = this.nodeClient;
		if (client == null || owner != this.nodeClientOwner) {
			if (client != null) {
				client.shutdownAsync(0, 2, TimeUnit.SECONDS);
			}
			client = RedisClient.create(owner.getResources());
			if (owner instanceof RedisClusterClient cluster) {
				client.setOptions(io.lettuce.core.ClientOptions.copyOf(cluster.getOptions()));
			}
			this.nodeClient = client;
			this.nodeClientOwner = owner;
		}
		return client;
	}

	/** Shuts the node client down, if one was made. */
	void close() {
		RedisClient client = this.nodeClient;
		if (client != null) {
			client.shutdownAsync(0, 2, TimeUnit.SECONDS);
		}
	}

}
