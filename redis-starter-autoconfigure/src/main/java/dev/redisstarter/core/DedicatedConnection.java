package dev.redisstarter.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * A connection of a component's own, for blocking commands ({@code XREADGROUP BLOCK}, {@code BLPOP}) that would
 * hold up every other command on the starter's shared connection. Opened with the application's Lettuce client
 * (standalone, Sentinel or Cluster) on first use, and again after it was closed or dropped, through
 * {@link ConnectAttempts} like every connection of the starter's own: the caller waits at most
 * {@link ConnectAttempts#ABANDON_AFTER} for a handshake (a frozen or black-holed server), then backs off as for an
 * outage while the attempt finishes alone; a connection that opens after its owner closed this one is closed.
 */
public final class DedicatedConnection {

	private final RedisAccess access;

	private final String purpose;

	private final ConnectAttempts<StatefulConnection<byte[], byte[]>> attempts;

	private @Nullable StatefulConnection<byte[], byte[]> connection;

	/** Moves on at each {@link #close()}: an attempt started before it must not install what it opens. */
	private long closes;

	/**
	 * A connection, not opened yet.
	 * @param access the starter's access to Redis (its client)
	 * @param purpose what the connection is for, for error messages
	 */
	public DedicatedConnection(RedisAccess access, String purpose) {
		this.access = access;
		this.purpose = purpose;
		this.attempts = new ConnectAttempts<>("dedicated-connect", this::open);
	}

	/**
	 * Whether the connection is open now.
	 * @return true when open
	 */
	public synchronized boolean isOpen() {
		return this.connection != null && this.connection.isOpen();
	}

	/**
	 * The connection's commands, opening it first when it is not open.
	 * @return asynchronous commands (Cluster connections route by key)
	 * @throws RedisConnectionFailureException when it cannot be opened now (the caller backs off and tries again)
	 * @throws IllegalStateException when the application's client is not Lettuce's
	 */
	public RedisClusterAsyncCommands<byte[], byte[]> commands() {
		StatefulConnection<byte[], byte[]> current = current();
		if (current == null) {
			if (this.access.refusesConnections()) {
				// Would be refused too: the starter's connection backs off and names the failure; the caller backs
				// off as for an outage and resumes when the circuit closes.
				throw new RedisConnectionFailureException("No connection " + this.purpose + " while Redis at "
						+ this.access.circuit().target() + " refuses the starter's credentials or TLS handshake");
			}
			current = awaitOpened();
		}
		return ConnectionOpener.commandsOf(current);
	}

	/** The open connection, or {@code null} after dropping one that is no longer open. */
	private synchronized @Nullable StatefulConnection<byte[], byte[]> current() {
		StatefulConnection<byte[], byte[]> current = this.connection;
		if (current != null && !current.isOpen()) {
			this.connection = null;
			LettuceConnections.closeAsync(current);
			return null;
		}
		return current;
	}

	private StatefulConnection<byte[], byte[]> awaitOpened() {
		long closesBefore;
		ConnectAttempts.Attempt<StatefulConnection<byte[], byte[]>> attempt;
		synchronized (this) {
			closesBefore = this.closes;
			attempt = this.attempts.attempt();
		}
		if (attempt.started()) {
			attempt.future().thenAccept((opened) -> adopt(opened, closesBefore));
		}
		StatefulConnection<byte[], byte[]> opened;
		try {
			opened = attempt.future().get(ConnectAttempts.ABANDON_AFTER.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new RedisConnectionFailureException("Opening a connection " + this.purpose + " did not complete within "
					+ ConnectAttempts.ABANDON_AFTER.toMillis() + " ms (Redis at " + this.access.circuit().target()
					+ " frozen or unreachable): trying again");
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			throw (cause instanceof RuntimeException runtime) ? runtime
					: new RedisConnectionFailureException("Could not open a connection " + this.purpose, cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisConnectionFailureException("Interrupted while opening a connection " + this.purpose, ex);
		}
		// Installed here too, not only by the attempt's own callback: that may run after this caller wakes up.
		adopt(opened, closesBefore);
		StatefulConnection<byte[], byte[]> adopted = current();
		if (adopted == null) {
			throw new RedisConnectionFailureException("The connection " + this.purpose + " was closed while it opened");
		}
		return adopted;
	}

	/**
	 * Installs what an attempt opened, unless this was closed since it started or another one is in use; called by
	 * the attempt's callback and by the caller that waited for it, whichever comes first.
	 */
	private void adopt(StatefulConnection<byte[], byte[]> opened, long closesBefore) {
		StatefulConnection<byte[], byte[]> replaced = null;
		boolean installed;
		synchronized (this) {
			if (this.connection == opened) {
				return;
			}
			installed = this.closes == closesBefore && (this.connection == null || !this.connection.isOpen());
			if (installed) {
				replaced = this.connection;
				this.connection = opened;
			}
		}
		if (!installed) {
			LettuceConnections.closeAsync(opened);
		}
		if (replaced != null) {
			// Down and perhaps reconnecting: it would linger.
			LettuceConnections.closeAsync(replaced);
		}
	}

	private StatefulConnection<byte[], byte[]> open() {
		AbstractRedisClient client = this.access.connectionFactory().getNativeClient();
		if (client instanceof RedisClusterClient cluster) {
			return cluster.connect(ByteArrayCodec.INSTANCE);
		}
		if (client instanceof RedisClient standalone) {
			return standalone.connect(ByteArrayCodec.INSTANCE);
		}
		throw new IllegalStateException("No Lettuce client to open a connection " + this.purpose + " with");
	}

	/**
	 * Drops the connection after a failed command (a command waiting on it fails at once); an attempt under way may
	 * still install the next one. The next {@link #commands()} uses that or opens another.
	 */
	public void drop() {
		StatefulConnection<byte[], byte[]> current;
		synchronized (this) {
			current = this.connection;
			this.connection = null;
		}
		if (current != null) {
			LettuceConnections.closeAsync(current);
		}
	}

	/**
	 * Closes the connection for good or until the next {@link #commands()} (its owner stops, or starts over): a command
	 * waiting on it fails at once, and what an attempt under way opens is closed rather than installed.
	 */
	public void close() {
		StatefulConnection<byte[], byte[]> current;
		synchronized (this) {
			this.closes++;
			current = this.connection;
			this.connection = null;
		}
		if (current != null) {
			LettuceConnections.close(current);
		}
	}

}
