package dev.redisstarter.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

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
 * settings apply), on a thread of its own so that nothing waits on a handshake. An attempt that hangs longer than
 * {@link #ABANDON_CONNECT_AFTER} (a black hole) is left to finish alone and another starts beside it, at most
 * {@link #MAX_ATTEMPTS_IN_FLIGHT} at once; a connection whose credentials the server refuses fails as such instead
 * of seeming connected. A client that cannot open a connection of its own (a static master/replica set-up) makes the
 * factory's shared connection the way ({@link #sharedOnly()}).
 */
public final class ConnectionOpener {

	/**
	 * How long an attempt to open one of the starter's connections (its own, a subscription's, a dedicated blocking
	 * one, a pub/sub node's) may hang before another one starts beside it: a handshake through a black hole hangs
	 * until Lettuce's own timeout.
	 */
	public static final Duration ABANDON_CONNECT_AFTER = Duration.ofSeconds(3);

	/**
	 * At most this many connection attempts at once: each one that hangs holds a thread until Lettuce's own
	 * timeout (the command timeout, 60 s by default).
	 */
	private static final int MAX_ATTEMPTS_IN_FLIGHT = 2;

	/** An attempt, and whether this call started it (its owner then wires what follows it). */
	record Attempt(CompletableFuture<StatefulConnection<byte[], byte[]>> future, boolean started) {
	}

	private final LettuceConnectionFactory connectionFactory;

	private final AtomicInteger attemptsInFlight = new AtomicInteger();

	private volatile @Nullable CompletableFuture<StatefulConnection<byte[], byte[]>> latest;

	private volatile long latestStarted;

	private volatile boolean sharedOnly;

	ConnectionOpener(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * The attempt under way, or a new one when there is none, or when it hangs and fewer than the most are in flight.
	 * @return the attempt
	 */
	synchronized Attempt attempt() {
		CompletableFuture<StatefulConnection<byte[], byte[]>> pending = this.latest;
		if (pending != null && !pending.isDone()
				&& (System.nanoTime() - this.latestStarted < ABANDON_CONNECT_AFTER.toNanos()
						|| this.attemptsInFlight.get() >= MAX_ATTEMPTS_IN_FLIGHT)) {
			return new Attempt(pending, false);
		}
		CompletableFuture<StatefulConnection<byte[], byte[]>> attempt = new CompletableFuture<>();
		this.latest = attempt;
		this.latestStarted = System.nanoTime();
		this.attemptsInFlight.incrementAndGet();
		StarterThreads.background("connect", () -> {
			try {
				attempt.complete(open());
			}
			catch (Throwable ex) {
				attempt.completeExceptionally(ex);
			}
			finally {
				this.attemptsInFlight.decrementAndGet();
			}
		}).start();
		return new Attempt(attempt, true);
	}

	/**
	 * The latest attempt, done or not.
	 * @return it, or {@code null} before the first
	 */
	@Nullable CompletableFuture<StatefulConnection<byte[], byte[]>> latest() {
		return this.latest;
	}

	/**
	 * Whether an attempt is the latest: only the latest speaks for Redis (one left behind in a black hole that
	 * fails after a newer one succeeded must not open the circuit again).
	 */
	boolean isLatest(CompletableFuture<StatefulConnection<byte[], byte[]>> attempt) {
		return attempt == this.latest;
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
		try {
			commandsOf(opened).ping().get(ABANDON_CONNECT_AFTER.toMillis(), TimeUnit.MILLISECONDS);
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
