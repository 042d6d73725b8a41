package dev.redisstarter.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Opens the starter's own connection with the factory's Lettuce client (so its address, SSL, Sentinel or Cluster
 * settings apply), through {@link ConnectAttempts} (a thread of its own, a hung attempt abandoned); a connection whose credentials the server refuses fails as such instead
 * of seeming connected. A client that cannot open a connection of its own (a static master/replica set-up) makes the
 * factory's shared connection the way ({@link #sharedOnly()}).
 */
public final class ConnectionOpener {

	private final LettuceConnectionFactory connectionFactory;

	private final ConnectAttempts<StatefulConnection<byte[], byte[]>> attempts;

	private volatile boolean sharedOnly;

	ConnectionOpener(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.attempts = new ConnectAttempts<>("connect", this::open);
	}

	/**
	 * The attempt under way, or a new one (see {@link ConnectAttempts#attempt()}).
	 * @return the attempt
	 */
	ConnectAttempts.Attempt<StatefulConnection<byte[], byte[]>> attempt() {
		return this.attempts.attempt();
	}

	/**
	 * The latest attempt, done or not.
	 * @return it, or {@code null} before the first
	 */
	@Nullable CompletableFuture<StatefulConnection<byte[], byte[]>> latest() {
		return this.attempts.latest();
	}

	/** Whether an attempt is the latest: only the latest speaks for Redis. */
	boolean isLatest(CompletableFuture<StatefulConnection<byte[], byte[]>> attempt) {
		return this.attempts.isLatest(attempt);
	}

	/**
	 * Whether the client cannot open a connection of its own: the factory's shared connection is the way.
	 * @return true once an attempt found so
	 */
	boolean sharedOnly() {
		return this.sharedOnly;
	}

	private StatefulConnection<byte[], byte[]> open() {
		if (!this.connectionFactory.isRunning()) {
			throw new RedisUnavailableException("The Redis connection factory is not running");
		}
		AbstractRedisClient client = this.connectionFactory.getNativeClient();
		if (client instanceof RedisClusterClient cluster) {
			return verified(cluster.connect(ByteArrayCodec.INSTANCE));
		}
		if (client instanceof RedisClient standalone) {
			try {
				return verified(standalone.connect(ByteArrayCodec.INSTANCE));
			}
			catch (IllegalStateException | IllegalArgumentException ex) {
				// A client without a default address (static master/replica): the factory's connection knows the way.
				this.sharedOnly = true;
				throw ex;
			}
		}
		this.sharedOnly = true;
		throw new IllegalStateException("No Lettuce client to connect with: the factory's shared connection is used");
	}

	/**
	 * A connection opened without credentials to a server that wants some is established all the same (Lettuce
	 * falls back from {@code HELLO}), and every command is then refused with {@code NOAUTH}: one {@code PING}
	 * finds that out, so the attempt fails as an authentication failure instead of flapping between "connected"
	 * and "refused". A {@code PING} that does not answer in time proves nothing and is left to the calls.
	 */
	private static StatefulConnection<byte[], byte[]> verified(StatefulConnection<byte[], byte[]> opened) {
		withoutClientTimer(opened);
		try {
			commandsOf(opened).ping().get(ConnectAttempts.ABANDON_AFTER.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (RedisFailure.of(ex.getCause()).kind() == RedisFailure.Kind.AUTHENTICATION) {
				opened.closeAsync();
				throw new RedisUnavailableException(ex.getCause().getMessage(), ex.getCause());
			}
		}
		catch (TimeoutException ex) {
			// Slow, not refused.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return opened;
	}

	/**
	 * Every call on this connection waits at most its capability's deadline and cancels what it no longer waits for
	 * ({@link RedisCalls}), so Lettuce's own command timeout (on by default with the connection's timeout) would
	 * only add a timer task per command, scheduled and cancelled on the client's one timer thread, which showed among
	 * the hottest frames of a scripted call. A connection timeout of zero turns that timer off for this connection
	 * (Lettuce schedules none for a timeout of zero); a client with a timeout source of its own keeps it. In a Cluster
	 * this changes no timer: the cluster connection's writer is not a timed one (Lettuce times a keyed command on the
	 * node connection it is routed to, with the client's timeout, as before; the keyless ones it sends to the default
	 * node were never timed), so there it sets only the synchronous API's timeout, which the starter does not use.
	 */
	private static void withoutClientTimer(StatefulConnection<byte[], byte[]> connection) {
		connection.setTimeout(Duration.ZERO);
	}

	/**
	 * The asynchronous commands of a standalone, Sentinel or Cluster connection.
	 * @param connection the connection
	 * @return its commands
	 */
	@SuppressWarnings("unchecked")
	static RedisClusterAsyncCommands<byte[], byte[]> commandsOf(StatefulConnection<byte[], byte[]> connection) {
		if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
			return cluster.async();
		}
		return ((StatefulRedisConnection<byte[], byte[]>) connection).async();
	}

}
