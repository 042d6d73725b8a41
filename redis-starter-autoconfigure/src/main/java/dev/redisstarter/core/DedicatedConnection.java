package dev.redisstarter.core;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * A connection of a component's own, for blocking commands ({@code XREADGROUP BLOCK}, {@code BLPOP}) that would
 * hold up every other command on the starter's shared connection. Opened with the application's Lettuce client
 * (standalone, Sentinel or Cluster) on first use, and again after it was closed or dropped.
 */
public final class DedicatedConnection {

	private final RedisAccess access;

	private final String purpose;

	private volatile @Nullable StatefulConnection<byte[], byte[]> connection;

	/**
	 * A connection, not opened yet.
	 * @param access the starter's access to Redis (its client)
	 * @param purpose what the connection is for, for error messages
	 */
	public DedicatedConnection(RedisAccess access, String purpose) {
		this.access = access;
		this.purpose = purpose;
	}

	/**
	 * Whether the connection is open now.
	 * @return true when open
	 */
	public boolean isOpen() {
		StatefulConnection<byte[], byte[]> current = this.connection;
		return current != null && current.isOpen();
	}

	/**
	 * The connection's commands, opening it first when it is not open.
	 * @return asynchronous commands (Cluster connections route by key)
	 * @throws IllegalStateException when the application's client is not Lettuce's
	 */
	public RedisClusterAsyncCommands<byte[], byte[]> commands() {
		StatefulConnection<byte[], byte[]> current = this.connection;
		if (current == null || !current.isOpen()) {
			if (current != null) {
				LettuceConnections.closeAsync(current);
			}
			if (this.access.refusesConnections()) {
				// Would be refused too: the starter's connection backs off and names the failure; the caller backs
				// off as for an outage and resumes when the circuit closes.
				throw new RedisConnectionFailureException("No connection " + this.purpose + " while Redis at "
						+ this.access.circuit().target() + " refuses the starter's credentials or TLS handshake");
			}
			AbstractRedisClient client = this.access.connectionFactory().getNativeClient();
			if (client instanceof RedisClusterClient cluster) {
				current = cluster.connect(ByteArrayCodec.INSTANCE);
			}
			else if (client instanceof RedisClient standalone) {
				current = standalone.connect(ByteArrayCodec.INSTANCE);
			}
			else {
				throw new IllegalStateException("No Lettuce client to open a connection " + this.purpose + " with");
			}
			this.connection = current;
		}
		return (current instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) ? cluster.async()
				: ((StatefulRedisConnection<byte[], byte[]>) current).async();
	}

	/**
	 * Closes the connection; a command waiting on it fails at once. The next {@link #commands()} opens another.
	 */
	public void close() {
		StatefulConnection<byte[], byte[]> current = this.connection;
		this.connection = null;
		if (current != null) {
			LettuceConnections.close(current);
		}
	}

}
