package dev.redisstarter.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The starter's way to one Redis deployment, shared by every capability: a connection of its own, opened with
 * the factory's Lettuce client (so its address, SSL, Sentinel or Cluster settings apply) on a background
 * thread, so the application starts without Redis; a {@link RedisCircuitBreaker}; and per-capability
 * {@link RedisCalls} that bound each call by the capability's deadline, whatever the application's own
 * {@code spring.data.redis.timeout} is (the starter never changes it).
 *
 * <p>While the connection is down, calls are refused at once rather than queued behind Lettuce's reconnect.
 * While the circuit is open, a probe runs after each cool-down: a {@code PING} on the connection, or, when
 * the connection is down, a fresh connection (so recovery never waits out Lettuce's reconnect back-off,
 * which grows to 30 s). The first answer closes the circuit. When the client cannot open a connection of its
 * own (a static master/replica set-up), the factory's shared connection is used, with the same deadlines.
 */
public final class RedisAccess implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisAccess.class);

	private static final Duration FIRST_CONNECTION_WAIT = Duration.ofSeconds(5);

	private static final int BACKGROUND_QUEUE = 10_000;

	private final LettuceConnectionFactory connectionFactory;

	private final ResilienceSettings settings;

	private final RedisCircuitBreaker circuit;

	private final @Nullable MeterRegistry meterRegistry;




	private final PermissionRefusals permissions;


	private volatile long lastAnswer = System.nanoTime();

	private final ThreadPoolExecutor background = backgroundExecutor();

	private final StarterConnection connection;



	private volatile boolean closed;

	private volatile boolean suspended;

	/**
	 * Access to the factory's Redis; nothing connects until {@link #start()} or the first call.
	 * @param connectionFactory Boot's factory, whose Lettuce client opens the connection
	 * @param settings the circuit and liveness settings
	 * @param meterRegistry where deadline expiries and circuit transitions are counted, or {@code null}
	 */
	public RedisAccess(LettuceConnectionFactory connectionFactory, ResilienceSettings settings,
			@Nullable MeterRegistry meterRegistry) {
		this(connectionFactory, settings, meterRegistry, "");
	}

	/**
	 * Access to the factory's Redis; nothing connects until {@link #start()} or the first call.
	 * @param connectionFactory Boot's factory, whose Lettuce client opens the connection
	 * @param settings the circuit and liveness settings
	 * @param meterRegistry where deadline expiries and circuit transitions are counted, or {@code null}
	 * @param keyPrefix the starter's key prefix, named in permission errors (what the Redis user must be granted)
	 */
	public RedisAccess(LettuceConnectionFactory connectionFactory, ResilienceSettings settings,
			@Nullable MeterRegistry meterRegistry, String keyPrefix) {
		this.permissions = new PermissionRefusals(keyPrefix);
		this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.meterRegistry = meterRegistry;
		this.circuit = new RedisCircuitBreaker(describe(connectionFactory), settings.failureThreshold(),
				settings.openDuration());
		this.connection = new StarterConnection(this, connectionFactory, this.circuit, settings, this.background);
		if (meterRegistry != null) {
			// A state, not a quantity: no base unit.
			CoreMeter.CIRCUIT_OPEN
				.gaugeBuilder(this.circuit, (circuit) -> circuit.state() == RedisCircuitBreaker.State.OPEN ? 1 : 0)
				.register(meterRegistry);
			CoreMeter.CIRCUIT_OPENINGS.functionCounterBuilder(this.circuit, RedisCircuitBreaker::openings)
				.register(meterRegistry);
		}
	}

	/**
	 * Access with the default settings and no metrics, for use without Spring Boot. Waits up to 5 s for the
	 * first connection, so that a program calling at once finds it ready, and returns anyway when Redis is
	 * unreachable (the connection keeps being tried in the background). Its connection closes with the
	 * factory's client.
	 * @param connectionFactory the factory, a {@link LettuceConnectionFactory}
	 * @return access, connecting in the background
	 * @throws IllegalArgumentException when the factory is not Lettuce's
	 */
	public static RedisAccess of(RedisConnectionFactory connectionFactory) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
			throw new IllegalArgumentException("The Redis Starter needs Lettuce (Spring Boot's default Redis client), not "
					+ ((connectionFactory != null) ? connectionFactory.getClass().getName() : null));
		}
		RedisAccess access = new RedisAccess(lettuce, ResilienceSettings.DEFAULTS, null);
		access.start().awaitConnection(FIRST_CONNECTION_WAIT);
		return access;
	}

	/**
	 * Starts connecting in the background; returns at once.
	 * @return this
	 */
	public RedisAccess start() {
		if (this.connection.current() == null && !shared() && !this.suspended) {
			this.connection.connect();
		}
		return this;
	}

	/**
	 * Waits until the connection is established, at most {@code timeout}.
	 * @param timeout how long to wait
	 * @return whether it is established
	 */
	public boolean awaitConnection(Duration timeout) {
		if (shared() || this.connection.current() != null) {
			return true;
		}
		CompletableFuture<StatefulConnection<byte[], byte[]>> pending = this.connection.latestAttempt();
		if (pending == null) {
			return false;
		}
		try {
			pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException | ExecutionException ex) {
			return shared();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * A capability's calls, each bounded by its deadline.
	 * @param feature the capability, for messages and meters
	 * @param deadline how long each call may wait for Redis
	 * @return the calls
	 */
	public RedisCalls calls(Feature feature, Duration deadline) {
		return new RedisCalls(this, feature, Durations.requirePositive(feature.timeoutProperty(), deadline), this.meterRegistry);
	}

	/**
	 * The circuit shared by every capability on this factory.
	 * @return the circuit
	 */
	public RedisCircuitBreaker circuit() {
		return this.circuit;
	}

	/**
	 * The permission refusals Redis answered the starter's calls and subscriptions with.
	 * @return the refusals
	 */
	public PermissionRefusals permissions() {
		return this.permissions;
	}

	/**
	 * The settings.
	 * @return the circuit and liveness settings
	 */
	public ResilienceSettings settings() {
		return this.settings;
	}

	/**
	 * The factory whose client this access connects with (for subscriptions, which need connections of their own).
	 * @return the factory
	 */
	public LettuceConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	/**
	 * Where the starter's own follow-up work runs (late replies, retries, probes), off Lettuce's I/O threads and
	 * off the common pool: one daemon thread, started on demand and gone after 30 s idle.
	 * @return the executor
	 */
	public Executor background() {
		return this.background;
	}

	private static ThreadPoolExecutor backgroundExecutor() {
		ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(BACKGROUND_QUEUE), (task) -> StarterThreads.background("background", task),
				(task, pool) -> {
					if (!pool.isShutdown()) {
						logger.warn("The starter's background queue is full (" + BACKGROUND_QUEUE + " tasks): a retry or"
								+ " late-reply release was dropped; what it was for expires by itself");
					}
					// Shut down: the access is closed, and its follow-up work with it.
				});
		return executor;
	}

	/**
	 * Runs a task with the connection's commands each time a connection is established (at once if one is).
	 * @param listener called on a client thread; must not block
	 */
	public void onConnect(Consumer<RedisClusterAsyncCommands<byte[], byte[]>> listener) {
		this.connection.onConnect(listener);
	}

	/**
	 * Stops running a task given to {@link #onConnect} (its owner is closed: kept, it would keep the owner alive).
	 * @param listener the task, as given
	 */
	public void removeConnectListener(Consumer<RedisClusterAsyncCommands<byte[], byte[]>> listener) {
		this.connection.removeConnectListener(listener);
	}

	/**
	 * Stops using Redis until {@link #resume()}: closes the connection and stops probing. For a connection
	 * factory that is about to stop (a Spring context being stopped or paused), whose client closes every
	 * connection it opened.
	 */
	public void suspend() {
		this.suspended = true;
		this.connection.closeCurrent();
	}

	/** Uses Redis again after {@link #suspend()}: connects in the background with the factory's (new) client. */
	public void resume() {
		this.suspended = false;
		this.circuit.close();
		start();
	}

	/**
	 * Whether calls are suspended.
	 * @return true between {@link #suspend()} and {@link #resume()}
	 */
	public boolean isSuspended() {
		return this.suspended;
	}

	/**
	 * Whether this access was closed.
	 * @return true once closed
	 */
	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Whether the starter's connection is established and open.
	 * @return true when calls can reach Redis
	 */
	public boolean isConnected() {
		return this.connection.isConnected();
	}

	/**
	 * Whether Redis refuses the starter's credentials or TLS handshake now: the circuit is open for that reason.
	 * Connections of their own (subscriptions, the pub/sub listeners', stream readers', job waiters') are not
	 * attempted meanwhile: waiting does not fix it, the starter's own connection tries again with growing pauses
	 * (up to 30 s) and the circuit's log line names the failure once; they connect when the circuit closes.
	 * @return true while connection attempts would be refused the same way
	 */
	public boolean refusesConnections() {
		return this.circuit.state() == RedisCircuitBreaker.State.OPEN && this.circuit.refusedByConfiguration();
	}

	/**
	 * Sends a {@code PING} on the starter's connection, for health checks; not counted by the circuit.
	 * @param timeout how long to wait for the answer
	 * @return how long the answer took
	 * @throws RedisUnavailableException when the circuit is open, the connection down, or no answer came in time
	 */
	public Duration ping(Duration timeout) {
		if (!this.circuit.allowsCalls()) {
			throw new RedisUnavailableException("circuit open: " + this.circuit.lastFailure());
		}
		StatefulConnection<byte[], byte[]> current = this.connection.current();
		if (shared()) {
			long start = System.nanoTime();
			try (RedisConnection shared = this.connectionFactory.getConnection()) {
				shared.ping();
			}
			return Duration.ofNanos(System.nanoTime() - start);
		}
		if (current == null || !current.isOpen()) {
			throw new RedisUnavailableException("the starter's connection is not established");
		}
		long start = System.nanoTime();
		try {
			ConnectionOpener.commandsOf(current).ping().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
			return Duration.ofNanos(System.nanoTime() - start);
		}
		catch (TimeoutException ex) {
			throw new RedisUnavailableException("no answer to PING within " + timeout.toMillis() + " ms");
		}
		catch (ExecutionException ex) {
			throw new RedisUnavailableException("PING failed: " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisUnavailableException("interrupted", ex);
		}
	}

	/**
	 * The connection's commands for one call, or a refusal when Redis is known to be unreachable. Waits for a
	 * connection being opened for at most {@code connectionWaitNanos}: 0 refuses the call at once (not sent) while no
	 * connection is established, for threads that must never wait.
	 */
	@Nullable RedisClusterAsyncCommands<byte[], byte[]> commands(RedisCalls calls, long connectionWaitNanos) {
		if (this.closed || this.suspended) {
			throw new RedisUnavailableException("The starter's Redis access is " + (this.closed ? "closed" : "suspended")
					+ " (" + calls.feature().segment() + ")");
		}
		if (!this.circuit.allowsCalls()) {
			throw new RedisUnavailableException("Redis is unreachable (circuit open since repeated failures: "
					+ this.circuit.lastFailure() + "); the " + calls.feature().segment() + " call was not sent");
		}
		if (shared()) {
			return null;
		}
		StatefulConnection<byte[], byte[]> current = this.connection.current();
		if (current == null) {
			if (connectionWaitNanos <= 0) {
				throw new RedisUnavailableException("The starter's connection to Redis is not established; the "
						+ calls.feature().segment() + " call was not sent");
			}
			current = awaitConnection(calls, connectionWaitNanos);
			if (current == null) {
				return null;
			}
		}
		if (!current.isOpen()) {
			RedisUnavailableException refused = new RedisUnavailableException(
					"The starter's connection to Redis is down and reconnecting; the " + calls.feature().segment()
							+ " call was not sent");
			failed(refused);
			throw refused;
		}
		return ConnectionOpener.commandsOf(current);
	}

	private @Nullable StatefulConnection<byte[], byte[]> awaitConnection(RedisCalls calls, long waitNanos) {
		CompletableFuture<StatefulConnection<byte[], byte[]>> pending = this.connection.connect();
		try {
			return pending.get(waitNanos, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			// Not counted by the circuit: the attempt itself opens it if it fails.
			throw new RedisDeadlineExceededException(calls.feature(), calls.deadline());
		}
		catch (ExecutionException ex) {
			if (shared()) {
				return null;
			}
			throw new RedisUnavailableException("Redis is unreachable: " + ex.getCause().getMessage()
					+ "; the " + calls.feature().segment() + " call was not sent", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisUnavailableException("Interrupted while connecting to Redis", ex);
		}
	}

	/** Whether the factory's shared connection is the way (the client cannot open one of the starter's own). */
	private boolean shared() {
		return this.connection.shared();
	}

	/** A call failed to reach Redis. */
	void failed(Throwable failure) {
		this.circuit.recordFailure(failure);
	}

	/**
	 * Redis refused a call's credentials ({@code NOAUTH}: the server started asking for a password the starter
	 * does not have): opens the circuit at once, as nothing else will work; probes find when it is over.
	 */
	void credentialsRefused(Throwable failure) {
		this.circuit.recordFailure(failure);
		this.circuit.open();
	}

	/** Redis answered a call. */
	void answered() {
		this.lastAnswer = System.nanoTime();
		this.circuit.recordSuccess();
	}

	/**
	 * Whether Redis answered any call since a moment: a deadline that passed while other replies kept arriving
	 * means Redis is slow or the client busy, not unreachable, and must not open the circuit.
	 */
	boolean answeredSince(long nanos) {
		return this.lastAnswer - nanos > 0;
	}

	private static String describe(LettuceConnectionFactory factory) {
		if (factory.isClusterAware()) {
			return "cluster " + factory.getClusterConfiguration().getClusterNodes();
		}
		if (factory.isRedisSentinelAware()) {
			return "sentinel master '" + factory.getSentinelConfiguration().getMaster().getName() + "'";
		}
		return factory.getHostName() + ":" + factory.getPort();
	}

	/** Closes the starter's connection; calls are refused from now on. The factory is left alone. */
	@Override
	public void close() {
		this.closed = true;
		this.background.shutdown();
		this.connection.closeCurrent();
	}

}
