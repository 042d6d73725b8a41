package dev.redisstarter.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Keeps the starter's own connection: opens it ({@link ConnectionOpener}, in the background, a hung attempt
 * abandoned), installs it (closing the circuit and telling the connect listeners), and while the circuit is open
 * probes after each cool-down, replacing a connection that is down or silent rather than waiting on Lettuce's
 * reconnect back-off. The access decides whether it may be used (closed, suspended); this keeps it.
 */
final class StarterConnection {

	private static final Log logger = LogFactory.getLog(RedisAccess.class);

	private final RedisAccess access;

	private final LettuceConnectionFactory connectionFactory;

	private final RedisCircuitBreaker circuit;

	private final ResilienceSettings settings;

	private final Executor background;

	private final ConnectionOpener opener;

	private final List<Consumer<RedisClusterAsyncCommands<byte[], byte[]>>> connectListeners = new CopyOnWriteArrayList<>();

	private final AtomicBoolean probeScheduled = new AtomicBoolean();

	/** Probes in a row while the credentials or TLS are refused: their pauses grow. */
	private final AtomicInteger probes = new AtomicInteger();

	private volatile @Nullable StatefulConnection<byte[], byte[]> connection;

	private volatile boolean everConnected;

	StarterConnection(RedisAccess access, LettuceConnectionFactory connectionFactory, RedisCircuitBreaker circuit,
			ResilienceSettings settings, Executor background) {
		this.access = access;
		this.connectionFactory = connectionFactory;
		this.circuit = circuit;
		this.settings = settings;
		this.background = background;
		this.opener = new ConnectionOpener(connectionFactory);
		circuit.onTransition((state) -> {
			if (state == RedisCircuitBreaker.State.OPEN) {
				this.probes.set(0);
				scheduleProbe();
			}
		});
	}

	/** @return the connection, or {@code null} when there is none (yet) */
	@Nullable StatefulConnection<byte[], byte[]> current() {
		return this.connection;
	}

	/** @return the latest attempt to open one, done or not, or {@code null} before the first */
	@Nullable CompletableFuture<StatefulConnection<byte[], byte[]>> latestAttempt() {
		return this.opener.latest();
	}

	/** @return whether the connection is established and open (or the factory's shared one is the way) */
	boolean isConnected() {
		StatefulConnection<byte[], byte[]> current = this.connection;
		return shared() || (current != null && current.isOpen());
	}

	/** Stops running a task given to {@link #onConnect}. */
	void removeConnectListener(Consumer<RedisClusterAsyncCommands<byte[], byte[]>> listener) {
		this.connectListeners.remove(listener);
	}

	/**
	 * Runs a task with the connection's commands each time a connection is established (at once if one is).
	 * @param listener called on a client thread; must not block
	 */
	void onConnect(Consumer<RedisClusterAsyncCommands<byte[], byte[]>> listener) {
		this.connectListeners.add(listener);
		StatefulConnection<byte[], byte[]> current = this.connection;
		if (current != null && current.isOpen()) {
			listener.accept(ConnectionOpener.commandsOf(current));
		}
	}

	/** Forgets the connection and closes it (waiting for it to close): the access is suspended or closed. */
	void closeCurrent() {
		StatefulConnection<byte[], byte[]> current;
		synchronized (this) {
			current = this.connection;
			this.connection = null;
		}
		if (current != null) {
			LettuceConnections.close(current);
		}
	}

	/** Starts opening a connection unless one is being opened (see {@link ConnectionOpener}); returns that attempt. */
	CompletableFuture<StatefulConnection<byte[], byte[]>> connect() {
		ConnectAttempts.Attempt<StatefulConnection<byte[], byte[]>> attempt = this.opener.attempt();
		if (attempt.started()) {
			attempt.future().whenComplete((opened, failure) -> {
				if (opened != null) {
					install(opened, attempt.future());
				}
				else if (!shared() && !this.access.isClosed() && !this.access.isSuspended() && this.opener.isLatest(attempt.future())
						&& !isConnected()) {
					// Only the latest attempt speaks for Redis: one left behind (hung in a black hole) that fails
					// after a newer one succeeded must not open the circuit again.
					logger.debug("Could not connect to Redis: " + failure.getMessage());
					this.circuit.recordFailure(failure);
					this.circuit.open();
				}
			});
		}
		return attempt.future();
	}

	/** Whether the factory's shared connection is the way (the client cannot open one of the starter's own). */
	boolean shared() {
		return this.opener.sharedOnly();
	}

	private void install(StatefulConnection<byte[], byte[]> opened,
			CompletableFuture<StatefulConnection<byte[], byte[]>> attempt) {
		StatefulConnection<byte[], byte[]> current = this.connection;
		boolean superseded = !this.opener.isLatest(attempt) && current != null && current.isOpen();
		if (this.access.isClosed() || this.access.isSuspended() || superseded) {
			// Closed, suspended, or an attempt left behind that a newer connection already replaced.
			LettuceConnections.closeAsync(opened);
			return;
		}
		this.everConnected = true;
		opened.addListener(new RedisConnectionStateListener() {
			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
				if (!StarterConnection.this.access.isClosed() && !StarterConnection.this.access.isSuspended()
						&& StarterConnection.this.connection == opened && StarterConnection.this.connectionFactory.isRunning()) {
					logger.info("The starter's connection to " + StarterConnection.this.circuit + " dropped: calls fail fast until it is back");
				}
			}
		});
		StatefulConnection<byte[], byte[]> previous;
		synchronized (this) {
			previous = this.connection;
			this.connection = opened;
		}
		if (previous != null && previous != opened) {
			// Stops the old connection's reconnect loop.
			LettuceConnections.closeAsync(previous);
		}
		this.circuit.close();
		RedisClusterAsyncCommands<byte[], byte[]> commands = ConnectionOpener.commandsOf(opened);
		for (Consumer<RedisClusterAsyncCommands<byte[], byte[]>> listener : this.connectListeners) {
			try {
				listener.accept(commands);
			}
			catch (RuntimeException ex) {
				logger.warn("A Redis connect listener failed: " + ex, ex);
			}
		}
	}

	private void scheduleProbe() {
		if (this.access.isClosed() || !this.probeScheduled.compareAndSet(false, true)) {
			return;
		}
		boolean refused = this.circuit.refusedByConfiguration();
		if (!refused) {
			this.probes.set(0);
		}
		Duration pause = this.circuit.probePause(refused ? this.probes.getAndIncrement() : 0);
		CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS, this.background)
			.execute(() -> {
				this.probeScheduled.set(false);
				probe();
			});
	}

	/**
	 * Runs on a pool thread after each cool-down while the circuit is open; never blocks. A connection that is
	 * down, or open but silent (a black hole, a frozen server), is replaced by a fresh one rather than left to
	 * Lettuce's reconnect back-off; the first {@code PING} answered, or the first connection established,
	 * closes the circuit.
	 */
	private void probe() {
		if (this.access.isClosed() || this.access.isSuspended() || this.circuit.allowsCalls()) {
			return;
		}
		if (this.everConnected && !this.connectionFactory.isRunning()) {
			// The factory was stopped or destroyed (the application is closing): nothing left to probe.
			this.access.close();
			return;
		}
		StatefulConnection<byte[], byte[]> current = this.connection;
		if (current == null || !current.isOpen()) {
			connect();
			scheduleProbe();
			return;
		}
		ConnectionOpener.commandsOf(current).ping()
			.toCompletableFuture()
			.orTimeout(this.settings.probeTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((pong, failure) -> {
				if (failure == null) {
					this.circuit.close();
					return;
				}
				replace(current);
				scheduleProbe();
			});
	}

	/** Drops a connection that does not answer; replies still owed on it could never be matched again. */
	private void replace(StatefulConnection<byte[], byte[]> silent) {
		synchronized (this) {
			if (this.connection != silent) {
				return;
			}
			this.connection = null;
		}
		LettuceConnections.closeAsync(silent);
		connect();
	}

}
