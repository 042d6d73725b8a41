package dev.redisstarter.messaging.queue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisListAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.RedisAccess;

/**
 * Waits for a queue's signal ({@code BLPOP} on {@code <queue>:signal}) on a connection of its own, since a
 * blocking command would hold up every other command on the starter's shared connection. The connection is
 * opened on first use and again after a failure; a wait that outlives its timeout by the liveness timeout counts
 * as a silent connection and replaces it.
 */
final class SignalWaiter {

	private final RedisAccess access;

	private final byte[] key;

	private volatile @Nullable StatefulConnection<byte[], byte[]> connection;


	SignalWaiter(RedisAccess access, String key) {
		this.access = access;
		this.key = key.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Waits for a signal.
	 * @param millis the longest wait
	 * @throws InterruptedException when interrupted
	 * @throws IllegalStateException when Redis is away (the caller backs off)
	 */
	void await(long millis) throws InterruptedException {
		if (millis <= 0) {
			return;
		}
		RedisListAsyncCommands<byte[], byte[]> redis = commands();
		// BLPOP takes seconds with decimals (Redis 6+); 0 would block forever.
		double seconds = Math.max(0.01, millis / 1000.0);
		long wait = millis + this.access.settings().livenessTimeout().toMillis() + 1000;
		try {
			redis.blpop(seconds, this.key).get(wait, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			close();
			throw new IllegalStateException("Waiting for jobs failed: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			close();
			throw new IllegalStateException("No answer to BLPOP within " + wait + " ms", ex);
		}
	}

	private RedisListAsyncCommands<byte[], byte[]> commands() {
		StatefulConnection<byte[], byte[]> current = this.connection;
		if (current == null || !current.isOpen()) {
			if (current != null) {
				current.closeAsync();
			}
			AbstractRedisClient client = this.access.connectionFactory().getNativeClient();
			if (client instanceof RedisClusterClient cluster) {
				current = cluster.connect(ByteArrayCodec.INSTANCE);
			}
			else if (client instanceof RedisClient standalone) {
				current = standalone.connect(ByteArrayCodec.INSTANCE);
			}
			else {
				throw new IllegalStateException("No Lettuce client to wait for jobs with");
			}
			this.connection = current;
		}
		return (current instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) ? cluster.async()
				: ((StatefulRedisConnection<byte[], byte[]>) current).async();
	}

	/** Closes the connection (a waiting {@link #await} fails at once). */
	void close() {
		StatefulConnection<byte[], byte[]> current = this.connection;
		this.connection = null;
		if (current != null) {
			current.closeAsync();
		}
	}

}
