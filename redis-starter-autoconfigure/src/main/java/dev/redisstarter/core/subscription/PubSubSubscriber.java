package dev.redisstarter.core.subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCircuitBreaker;
import dev.redisstarter.core.StarterThreads;
import dev.redisstarter.core.subscription.NodeConnection.Op;
import dev.redisstarter.core.subscription.NodeConnection.Wire;

/**
 * Keeps every {@link Route} that has a listener subscribed on a live connection, on the node where its
 * messages are published, whatever happens to the server or the Cluster:
 * <ul>
 * <li>connections are opened on the subscriber's own thread, never the caller's, so subscribing does not wait
 * for Redis and the application starts without it;</li>
 * <li>every liveness interval each connection answers a {@code PING} within the liveness timeout or is
 * replaced (a connection dropped silently by a NAT or a load balancer gives no error);</li>
 * <li>on a Cluster, channels and patterns are subscribed on one master (a publish reaches every node), shard
 * channels on the master that owns their slot, node patterns (keyspace notifications) on every master; the
 * topology is read again when a connection drops, a shard channel is taken away (its slot moved) or a
 * subscription fails, and what is not where it belongs is moved.</li>
 * </ul>
 * Until everything desired is confirmed by the server, it looks again every {@value #UNSETTLED_RETRY_MILLIS} ms,
 * except for a subscription the server refused by permission (the ACL user lacks the channel, {@code NOPERM}): that
 * one is logged once with the channel rule to grant, shown in health (through the access's
 * {@link dev.redisstarter.core.PermissionRefusals}), tried again at each liveness check only, and subscribed and
 * cleared once an operator grants it. Messages published while a route was not subscribed are not delivered:
 * pub/sub is at-most-once.
 */
public final class PubSubSubscriber implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PubSubSubscriber.class);

	static final long UNSETTLED_RETRY_MILLIS = 500;

	private final RedisAccess access;

	private final KeyspaceNotifications keyspace;

	/** 32 MB, Redis's default hard limit of a subscriber's output buffer. */
	public static final long DEFAULT_INBOX_LIMIT = 32L * 1024 * 1024;

	private final RouteListeners listeners;

	private final ScheduledExecutorService loop;

	private final ReconcileSchedule schedule;

	private final AtomicBoolean topologyStale = new AtomicBoolean(true);


	/** Changed on the loop thread only. The single server's connection, or the Cluster's by node id. */
	private final Map<String, NodeConnection> connections = new ConcurrentHashMap<>();

	/** Nodes refusing the credentials or TLS of a new connection, each with its back-off (kept across connections). */
	private final RefusedNodes refusedNodes = new RefusedNodes();

	private final SubscriptionRefusals refusals;

	private final NodeClients clients;

	/** Looks again when the circuit closes; removed at close, so that a closed subscriber is not kept reachable. */
	private final Consumer<RedisCircuitBreaker.State> circuitClosed = (state) -> {
		if (state == RedisCircuitBreaker.State.CLOSED) {
			reconcileSoon();
		}
	};

	private final ClusterReconciler cluster;

	private final String purpose;

	/**
	 * Bumped whenever what is wanted or what a server holds may have changed (a listener came, a connection
	 * dropped): a reconcile that began before cannot report everything confirmed.
	 */
	private final AtomicLong generation = new AtomicLong();

	/** The generation whose reconcile found everything confirmed, -1 when the last one did not. */
	private volatile long settledGeneration = -1;

	private volatile boolean clusterMode;

	private volatile boolean closed;

	private boolean started;

	/**
	 * A subscriber, idle until {@link #start()}.
	 * @param access whose client opens the connections and whose settings give the liveness interval and timeout
	 */
	public PubSubSubscriber(RedisAccess access) {
		this(access, false, DEFAULT_INBOX_LIMIT);
	}

	/**
	 * A subscriber, idle until {@link #start()}.
	 * @param access whose client opens the connections and whose settings give the liveness interval and timeout
	 * @param configureKeyspaceEvents whether to set {@code notify-keyspace-events} on a node that lacks what a
	 * keyevent listener needs (otherwise a warning names the missing flags)
	 * @param inboxLimitBytes how many bytes of received messages may wait for the listeners before messages are
	 * dropped
	 */
	public PubSubSubscriber(RedisAccess access, boolean configureKeyspaceEvents, long inboxLimitBytes) {
		this(access, "pub/sub", configureKeyspaceEvents, inboxLimitBytes);
	}

	/**
	 * A subscriber for the starter's own notices (cache invalidations, lock releases), idle until {@link #start()}.
	 * @param access whose client opens the connections and whose settings give the liveness interval and timeout
	 * @param purpose what it is for, in logs and thread names (such as "cache invalidations")
	 */
	public PubSubSubscriber(RedisAccess access, String purpose) {
		this(access, purpose, false, DEFAULT_INBOX_LIMIT);
	}

	private PubSubSubscriber(RedisAccess access, String purpose, boolean configureKeyspaceEvents,
			long inboxLimitBytes) {
		this.access = Objects.requireNonNull(access, "access must not be null");
		this.purpose = Objects.requireNonNull(purpose, "purpose must not be null");
		this.clients = new NodeClients(access);
		this.refusals = new SubscriptionRefusals(access.permissions(), access.settings().livenessInterval(),
				() -> this.clusterMode, "pub/sub".equals(purpose) ? null : purpose);
		this.listeners = new RouteListeners(inboxLimitBytes);
		this.keyspace = new KeyspaceNotifications(configureKeyspaceEvents);
		this.cluster = new ClusterReconciler(this.connections, this.refusedNodes, this.refusals, this.clients,
				new Events(), this.topologyStale);
		this.loop = StarterThreads.backgroundScheduler(threadName(purpose));
		this.schedule = new ReconcileSchedule(this.loop, this::reconcile);
	}

	private static String threadName(String purpose) {
		return "pub/sub".equals(purpose) ? "pubsub" : purpose.replace(' ', '-');
	}

	/** Starts looking after the subscriptions in the background; returns at once. Idempotent. */
	public synchronized void start() {
		if (this.started || this.closed) {
			return;
		}
		this.started = true;
		this.listeners.startDelivering();
		long interval = this.access.settings().livenessInterval().toMillis();
		this.access.circuit().onTransition(this.circuitClosed);
		this.loop.scheduleWithFixedDelay(this::checkLiveness, interval, interval, TimeUnit.MILLISECONDS);
		reconcileSoon();
	}

	/**
	 * Subscribes a listener to a route; the subscription is made in the background. Its messages come on the
	 * subscriber's delivery thread.
	 * @param route what to subscribe to
	 * @param listener what receives its messages
	 * @return closes the subscription (the route is unsubscribed when its last listener goes)
	 */
	public AutoCloseable subscribe(Route route, RouteListener listener) {
		return register(route, listener, false);
	}

	/**
	 * Subscribes a listener that is called on Lettuce's I/O thread, ahead of the inbox: for listeners that never
	 * block and must not wait behind slow ones (replies to requests, the starter's own notices).
	 * @param route what to subscribe to
	 * @param listener what receives its messages; must return at once
	 * @return closes the subscription
	 */
	public AutoCloseable subscribeDirect(Route route, RouteListener listener) {
		return register(route, listener, true);
	}

	private AutoCloseable register(Route route, RouteListener listener, boolean direct) {
		Objects.requireNonNull(route, "route must not be null");
		Objects.requireNonNull(listener, "listener must not be null");
		Runnable remove = this.listeners.add(route, listener, direct);
		this.generation.incrementAndGet();
		refreshStates();
		reconcileSoon();
		return () -> {
			remove.run();
			refreshStates();
			reconcileSoon();
		};
	}

	/**
	 * Whether the server has confirmed every route that has a listener.
	 * @return true when nothing is being (re)subscribed
	 */
	public boolean isSettled() {
		return this.settledGeneration == this.generation.get();
	}

	/**
	 * Whether the server has confirmed a route's subscription (on a Cluster, on at least one node).
	 * @param route a route that has a listener
	 * @return true when its messages are being delivered
	 */
	public boolean isConfirmed(Route route) {
		Wire wire = switch (route.kind()) {
			case CHANNEL -> new Wire(Op.SUBSCRIBE, route.name());
			case PATTERN, NODE_PATTERN -> new Wire(Op.PSUBSCRIBE, route.name());
			case SHARD_CHANNEL -> new Wire(this.clusterMode ? Op.SSUBSCRIBE : Op.SUBSCRIBE, route.name());
		};
		for (NodeConnection connection : this.connections.values()) {
			if (connection.hasConfirmed(wire)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Waits until every route that has a listener is confirmed.
	 * @param timeout how long to wait at most
	 * @return whether it settled in time
	 */
	public boolean awaitSettled(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!isSettled()) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/**
	 * A description of each connection, for health and logs.
	 * @return node to state
	 */
	public Map<String, String> connectionStates() {
		Map<String, String> result = new LinkedHashMap<>();
		this.connections.values().forEach((node) -> result.put(node.node(), node.isUp() ? "up" : "down"));
		return result;
	}

	/**
	 * How many received messages were dropped because the inbox was full.
	 * @return the count since start
	 */
	public long droppedMessages() {
		return this.listeners.dropped();
	}

	private void reconcileSoon() {
		if (this.started && !this.closed) {
			this.schedule.soon();
		}
	}

	private void retryLater() {
		if (!this.closed) {
			this.schedule.later(UNSETTLED_RETRY_MILLIS);
		}
	}

	private boolean paused() {
		// While the credentials or TLS are refused, the starter's connection backs off and names the failure: no
		// attempts here (one every half second), and no PING warnings for connections that cannot exist.
		return this.closed || this.access.isClosed() || this.access.isSuspended()
				|| !this.access.connectionFactory().isRunning() || this.access.refusesConnections();
	}

	private void checkLiveness() {
		if (paused()) {
			return;
		}
		long timeout = this.access.settings().livenessTimeout().toMillis();
		for (NodeConnection node : new ArrayList<>(this.connections.values())) {
			boolean answered;
			try {
				answered = node.ping(timeout).get(timeout + 1000, TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				answered = false;
			}
			// A connection that is down or did not answer is replaced: since listeners never hold Lettuce's
			// threads (the inbox), silence means the connection, never a busy listener.
			if (!answered) {
				if (node.isUp()) {
					logger.warn("The " + this.purpose + " connection to " + node.node() + " did not answer a PING within "
							+ timeout + " ms: replacing it (messages published meanwhile are lost)");
				}
				else {
					// Not open (yet): nothing timed out, and why it cannot open is logged where it is known.
					logger.debug("The " + this.purpose + " connection to " + node.node() + " is not open: opening another");
				}
				node.replace();
				this.generation.incrementAndGet();
				if (!node.refusesCredentials()) {
					// Refused credentials are not a topology change: reading it would open refused connections.
					this.topologyStale.set(true);
				}
			}
		}
		reconcile(true);
	}

	private void reconcile() {
		reconcile(false);
	}

	/**
	 * Subscribes what is missing and unsubscribes what is no longer wanted, on the loop thread.
	 * @param retryRefused whether to send again what the server refused by permission (at liveness checks only)
	 */
	private void reconcile(boolean retryRefused) {
		if (paused()) {
			return;
		}
		try {
			// Read before the routes: a listener or a drop after this point leaves the subscriber unsettled.
			long started = this.generation.get();
			AbstractRedisClient client = this.access.connectionFactory().getNativeClient();
			Set<Route> routes = this.listeners.routes();
			boolean done;
			if (client instanceof RedisClusterClient cluster) {
				this.clusterMode = true;
				done = this.cluster.reconcile(cluster, routes, retryRefused);
			}
			else if (client instanceof RedisClient standalone) {
				done = reconcileSingle(standalone, routes, retryRefused);
			}
			else {
				logger.info("No subscriptions for " + this.purpose + ": no Lettuce client to subscribe with");
				return;
			}
			// A refusal by permission keeps it unsettled, but looking again before the next liveness check would
			// only be refused again.
			boolean refused = this.connections.values().stream().anyMatch(NodeConnection::hasRefusals);
			this.settledGeneration = (done && !refused) ? started : -1;
			if (!done) {
				retryLater();
			}
		}
		catch (RuntimeException ex) {
			this.settledGeneration = -1;
			logger.debug("Could not reconcile the subscriptions for " + this.purpose + ", will retry: " + ex);
			retryLater();
		}
		finally {
			if (this.closed) {
				// Closed while this ran: what it opened is closed too (close() may have given up waiting).
				this.connections.values().forEach(NodeConnection::close);
			}
			refreshStates();
		}
	}

	private void refreshStates() {
		this.listeners.refreshStates(this::isConfirmed);
	}

	private boolean reconcileSingle(RedisClient client, Set<Route> routes, boolean retryRefused) {
		if (routes.isEmpty() && this.connections.isEmpty()) {
			return true;
		}
		NodeConnection node = this.connections.computeIfAbsent("server",
				(id) -> new NodeConnection(this.access.circuit().target(), this.clients::openStandalone, new Events(),
						this.refusedNodes, this.refusals));
		Set<Wire> desired = new HashSet<>();
		for (Route route : routes) {
			desired.add(new Wire(route.isPattern() ? Op.PSUBSCRIBE : Op.SUBSCRIBE, route.name()));
		}
		return node.reconcile(desired, retryRefused);
	}

	/** Unsubscribes everything and closes the connections. */
	@Override
	public void close() {
		this.closed = true;
		this.access.circuit().removeTransitionListener(this.circuitClosed);
		this.loop.shutdownNow();
		try {
			// A reconcile under way may still open a node's connection: let it finish, then close them all.
			this.loop.awaitTermination(2, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.connections.values().forEach(NodeConnection::close);
		this.clients.close();
		this.listeners.close();
	}

	@Override
	public String toString() {
		return "PubSubSubscriber[" + this.purpose + ", " + this.listeners.size() + " routes, " + (isSettled() ? "settled" : "settling")
				+ "]";
	}

	/** Delivers what any connection receives; looks again when one changes. */
	private final class Events implements NodeConnection.Events {

		@Override
		public void message(Op op, String name, String channel, byte[] body) {
			PubSubSubscriber.this.listeners.received(op, name, channel, body);
		}

		@Override
		public void keyeventPatterns(NodeConnection source, StatefulRedisPubSubConnection<byte[], byte[]> connection,
				Set<String> patterns) {
			PubSubSubscriber.this.keyspace.check(source.node(), connection, patterns,
					PubSubSubscriber.this.access.settings().livenessTimeout().toMillis());
		}

		@Override
		public void changed(NodeConnection source) {
			PubSubSubscriber.this.generation.incrementAndGet();
			PubSubSubscriber.this.topologyStale.set(true);
			refreshStates();
			retryLater();
		}

		@Override
		public void opened(NodeConnection source) {
			PubSubSubscriber.this.generation.incrementAndGet();
			reconcileSoon();
		}

		@Override
		public void confirmed(NodeConnection source) {
			refreshStates();
		}

	}

}
