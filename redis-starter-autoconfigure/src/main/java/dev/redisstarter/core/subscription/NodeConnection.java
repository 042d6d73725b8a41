package dev.redisstarter.core.subscription;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.ConnectAttempts;
import dev.redisstarter.core.LettuceConnections;
import dev.redisstarter.core.RedisFailure;
import dev.redisstarter.core.StarterThreads;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * One pub/sub connection (to the server, or to one Cluster node) and what is subscribed on it. Its
 * {@link #reconcile} runs on the subscriber's own thread only and never blocks it (connections open on a
 * thread of their own); Lettuce's callbacks keep {@link #confirmed}. Only what the last reconcile assigned to
 * this node is delivered from it, and only from its current connection (see {@link #assigned}).
 */
final class NodeConnection {

	private static final Log logger = LogFactory.getLog(NodeConnection.class);

	/** A subscription as sent on the wire: the command family and the name. */
	record Wire(Op op, String name) {
	}

	/** The three subscription command families. */
	enum Op {

		SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE

	}

	/** What a connection reports to its owner. */
	interface Events {

		void message(Op op, String name, String channel, byte[] body);

		/** Keyevent patterns are about to be subscribed on a connection for the first time: check the server. */
		void keyeventPatterns(NodeConnection source, StatefulRedisPubSubConnection<byte[], byte[]> connection,
				Set<String> patterns);

		/** The connection dropped, or the server took a subscription away (a slot moved): look again. */
		void changed(NodeConnection source);

		/** A new connection opened: subscribe on it now. */
		void opened(NodeConnection source);

		/** The server confirmed a subscription. */
		void confirmed(NodeConnection source);

	}

	private final String node;

	private final Events events;

	private final Set<Wire> confirmed = ConcurrentHashMap.newKeySet();

	/**
	 * What the last {@link #reconcile} asked this connection to carry. Lettuce subscribes again to everything
	 * it had when it reconnects, so a node that comes back carries channels that moved to another node while
	 * it was away, until they are unsubscribed here: their messages would arrive twice.
	 */
	private volatile Set<Wire> assigned = Set.of();

	private final ConnectAttempts<StatefulRedisPubSubConnection<byte[], byte[]>> attempts;

	/** Refusals already logged (bounded), so that a retry every half second does not flood the log. */
	private final Set<String> reported = ConcurrentHashMap.newKeySet();

	/**
	 * Subscriptions the server refused by permission ({@code NOPERM}: the user's channel rules). Waiting does not
	 * fix them, so they are not sent again at every look, only when {@link #reconcile} is told to retry them (at
	 * each liveness check): an operator who grants the channel at run time sees it subscribed within an interval.
	 */
	private final Set<Wire> refused = ConcurrentHashMap.newKeySet();

	/** Keyevent patterns whose server flags were checked on the current connection. */
	private final Set<String> checked = ConcurrentHashMap.newKeySet();

	private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> connection;

	private volatile boolean closed;

	/** The subscriber's nodes refusing credentials or TLS, with their back-offs (shared by its connections). */
	private final RefusedNodes refusals;

	/** Where refusals by permission or of credentials are reported (health and the log). */
	private final SubscriptionRefusals reports;

	NodeConnection(String node, Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> opener, Events events,
			RefusedNodes refusals, SubscriptionRefusals reports) {
		this.node = node;
		this.events = events;
		this.refusals = refusals;
		this.reports = reports;
		this.attempts = new ConnectAttempts<>("pubsub-connect", opener);
	}

	String node() {
		return this.node;
	}

	boolean isUp() {
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		return current != null && current.isOpen();
	}

	/**
	 * Whether the last attempt to open this connection was refused its credentials or TLS: it is tried again after
	 * a back-off, and another node of the same Cluster (the same users, the same certificates) would refuse it too.
	 * @return true until an attempt opens
	 */
	boolean refusesCredentials() {
		return this.refusals.refuses(this.node);
	}

	/**
	 * Whether a subscription is confirmed on the current connection and assigned here: only then are its messages
	 * delivered from this node.
	 */
	boolean hasConfirmed(Wire wire) {
		return this.confirmed.contains(wire) && this.assigned.contains(wire);
	}

	/**
	 * Whether the server refused a subscription by permission that is still wanted here.
	 * @return true while one is refused
	 */
	boolean hasRefusals() {
		return !this.refused.isEmpty();
	}

	/**
	 * Starts opening the connection if there is none, subscribes to what is
	 * desired and not yet confirmed, and unsubscribes from what is confirmed and no longer desired.
	 * @param desired what this connection should carry
	 * @param retryRefused whether to send again what the server refused by permission
	 * @return whether everything desired is confirmed or refused by permission (looking again soon would not
	 * change it)
	 */
	boolean reconcile(Set<Wire> desired, boolean retryRefused) {
		if (this.closed) {
			return false;
		}
		this.assigned = Set.copyOf(desired);
		for (Wire wire : this.refused) {
			if (!desired.contains(wire) && this.refused.remove(wire)) {
				this.reports.forgotten(this, wire);
			}
		}
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		if (current != null && !current.isOpen()) {
			// Closed under us (the factory's client was stopped, as a paused or restarted context does) or
			// reconnecting to a node that may be gone: open a fresh one rather than wait on it.
			replace();
			current = null;
		}
		if (current == null) {
			openInBackground();
			return desired.isEmpty();
		}
		Set<String> unchecked = new java.util.HashSet<>();
		for (Wire wire : desired) {
			if (wire.op() == Op.PSUBSCRIBE && wire.name().startsWith(KeyspaceNotifications.KEYEVENT_PREFIX)
					&& this.checked.add(wire.name())) {
				unchecked.add(wire.name());
			}
		}
		if (!unchecked.isEmpty()) {
			this.events.keyeventPatterns(this, current, unchecked);
		}
		RedisPubSubAsyncCommands<byte[], byte[]> redis = current.async();
		for (Wire wire : desired) {
			if (!this.confirmed.contains(wire) && (retryRefused || !this.refused.contains(wire))) {
				// One name per command: Redis refuses a whole command when the user lacks one of its channels.
				byte[] name = utf8(wire.name());
				watch(switch (wire.op()) {
					case SUBSCRIBE -> redis.subscribe(name);
					case PSUBSCRIBE -> redis.psubscribe(name);
					case SSUBSCRIBE -> redis.ssubscribe(name);
				}, wire.op().name(), wire);
			}
		}
		for (Op op : Op.values()) {
			byte[][] unwanted = this.confirmed.stream()
				.filter((wire) -> wire.op() == op && !desired.contains(wire))
				.map((wire) -> utf8(wire.name()))
				.toArray(byte[][]::new);
			for (byte[][] names : ClusterRoutePlan.bySlot(op == Op.SSUBSCRIBE, unwanted)) {
				watch(switch (op) {
					case SUBSCRIBE -> redis.unsubscribe(names);
					case PSUBSCRIBE -> redis.punsubscribe(names);
					case SSUBSCRIBE -> redis.sunsubscribe(names);
				}, "un" + op.name(), null);
			}
		}
		return desired.stream().allMatch((wire) -> this.confirmed.contains(wire) || this.refused.contains(wire));
	}

	private void watch(RedisFuture<Void> reply, String command, @Nullable Wire subscribing) {
		reply.whenComplete((ok, failure) -> {
			if (failure != null && !this.closed && subscribing != null && this.assigned.contains(subscribing)
					&& RedisFailure.isPermission(failure)) {
				// The user's channel rules: waiting does not fix it. Reported (logged once, in health) and tried
				// again at the next liveness check, not at every look.
				this.refused.add(subscribing);
				this.reports.refused(this, subscribing, RedisFailure.of(failure));
				return;
			}
			if (failure != null && !this.closed) {
				// A shard channel whose slot moved answers MOVED; a dropped connection fails the command. A refusal
				// that says something else (NOPERM for an ACL user, ...) will not heal by itself: say it once.
				String message = String.valueOf(failure.getMessage());
				boolean expected = message.contains("MOVED") || message.contains("closed")
						|| message.contains("Connection") || message.contains("disconnected");
				if (!expected && this.reported.size() < 100 && this.reported.add(command + message)) {
					logger.warn(command + " on " + this.node + " was refused, retrying: " + message);
				}
				else {
					logger.debug(command + " on " + this.node + " failed, will look again: " + failure);
				}
				this.events.changed(this);
			}
		});
	}

	/**
	 * Opens the connection on a thread of its own ({@link ConnectAttempts}): opening blocks until the server answers
	 * the handshake, and a frozen or black-holed node must not hold up the other nodes' subscriptions.
	 */
	private void openInBackground() {
		if (this.closed || this.refusals.backingOff(this.node)) {
			return;
		}
		ConnectAttempts.Attempt<StatefulRedisPubSubConnection<byte[], byte[]>> attempt = this.attempts.attempt();
		if (attempt.started()) {
			attempt.future().whenComplete((opened, failure) -> {
				if (failure != null) {
					notOpened(failure);
				}
				else if (install(opened)) {
					this.events.opened(this);
				}
			});
		}
	}

	private void notOpened(Throwable ex) {
		RedisFailure failure = RedisFailure.of(ex);
		if (failure.kind() == RedisFailure.Kind.AUTHENTICATION || failure.kind() == RedisFailure.Kind.TLS) {
			// Waiting will not fix it, an operator will: back off (1 s doubling to 30 s, per node) and say so.
			this.reports.connectionRefused(this, failure, this.refusals.refused(this.node));
			return;
		}
		if (this.refusals.clear(this.node)) {
			// Down now rather than refusing: an outage, which the topology and the circuit take care of.
			this.reports.connectionForgotten(this);
		}
		logger.debug("Could not open a pub/sub connection to " + this.node + ", will retry: " + ex);
	}

	private boolean install(StatefulRedisPubSubConnection<byte[], byte[]> opened) {
		if (this.refusals.clear(this.node)) {
			this.reports.connectionOpened(this);
		}
		opened.addListener(new Callbacks(opened));
		opened.addListener(new RedisConnectionStateListener() {
			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
				boolean mine;
				synchronized (NodeConnection.this) {
					mine = NodeConnection.this.connection == opened;
					if (mine) {
						NodeConnection.this.confirmed.clear();
					}
				}
				if (mine) {
					NodeConnection.this.events.changed(NodeConnection.this);
				}
			}
		});
		synchronized (this) {
			if (this.closed || this.connection != null) {
				// Closed meanwhile, or an attempt that started earlier and hung got there first.
				LettuceConnections.closeAsync(opened);
				return false;
			}
			this.connection = opened;
			this.checked.clear();
			// Only what this connection's server confirms counts (see confirmIfCurrent).
			this.confirmed.clear();
		}
		return true;
	}

	/**
	 * Sends a {@code PING} on the connection.
	 * @param timeoutMillis how long to wait for its answer
	 * @return completes with true when it answered in time, false otherwise (or when there is no connection)
	 */
	CompletableFuture<Boolean> ping(long timeoutMillis) {
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		if (current == null) {
			return CompletableFuture.completedFuture(false);
		}
		return current.async()
			.ping()
			.toCompletableFuture()
			.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
			.handle((pong, failure) -> failure == null);
	}

	/**
	 * Records a confirmation from a connection if it is still the current one. Under the same monitor as the
	 * connection's replacement: a confirmation that arrives while a silent connection is being replaced must not
	 * land in its successor's set, where it would read as subscribed for ever.
	 */
	private synchronized boolean confirmIfCurrent(StatefulRedisPubSubConnection<byte[], byte[]> source, Wire wire) {
		if (this.closed || this.connection != source) {
			return false;
		}
		this.confirmed.add(wire);
		return true;
	}

	/** Drops the current connection (silent or dead); the next {@link #reconcile} opens a new one. */
	void replace() {
		StatefulRedisPubSubConnection<byte[], byte[]> current;
		synchronized (this) {
			current = this.connection;
			this.connection = null;
			this.confirmed.clear();
		}
		if (current != null) {
			LettuceConnections.closeAsync(current);
		}
	}

	void close() {
		this.closed = true;
		replace();
		// A refusal stays with the node (the subscriber forgets it when the node leaves the topology).
		for (Wire wire : this.refused) {
			if (this.refused.remove(wire)) {
				this.reports.forgotten(this, wire);
			}
		}
	}

	@Override
	public String toString() {
		return this.node + (isUp() ? " (up, " : " (down, ") + this.confirmed.size() + " subscribed)";
	}

	private static String string(byte[] name) {
		return new String(name, StandardCharsets.UTF_8);
	}

	/** Lettuce's events of one connection, ignored once it is no longer this node's. */
	private final class Callbacks extends RedisPubSubAdapter<byte[], byte[]> {

		private final StatefulRedisPubSubConnection<byte[], byte[]> source;

		Callbacks(StatefulRedisPubSubConnection<byte[], byte[]> source) {
			this.source = source;
		}

		private boolean current() {
			return !NodeConnection.this.closed && NodeConnection.this.connection == this.source;
		}

		@Override
		public void message(byte[] channel, byte[] message) {
			String name = string(channel);
			deliver(Op.SUBSCRIBE, name, name, message);
		}

		@Override
		public void message(byte[] pattern, byte[] channel, byte[] message) {
			deliver(Op.PSUBSCRIBE, string(pattern), string(channel), message);
		}

		@Override
		public void smessage(byte[] shardChannel, byte[] message) {
			String name = string(shardChannel);
			deliver(Op.SSUBSCRIBE, name, name, message);
		}

		private void deliver(Op op, String name, String channel, byte[] body) {
			// Another node's connection carries what is not assigned here (a moved broadcast channel that
			// Lettuce resubscribed on reconnecting); a replaced connection's late reads are its successor's.
			if (current() && NodeConnection.this.assigned.contains(new Wire(op, name))) {
				NodeConnection.this.events.message(op, name, channel, body);
			}
		}

		@Override
		public void subscribed(byte[] channel, long count) {
			confirm(Op.SUBSCRIBE, channel);
		}

		@Override
		public void psubscribed(byte[] pattern, long count) {
			confirm(Op.PSUBSCRIBE, pattern);
		}

		@Override
		public void ssubscribed(byte[] shardChannel, long count) {
			confirm(Op.SSUBSCRIBE, shardChannel);
		}

		@Override
		public void unsubscribed(byte[] channel, long count) {
			lost(new Wire(Op.SUBSCRIBE, string(channel)));
		}

		@Override
		public void punsubscribed(byte[] pattern, long count) {
			lost(new Wire(Op.PSUBSCRIBE, string(pattern)));
		}

		/**
		 * A late reply to an unsubscribe sent before the route was wanted again: the route is gone from the
		 * server, so look again now rather than at the next liveness check.
		 */
		private void lost(Wire wire) {
			if (NodeConnection.this.confirmed.remove(wire) && current()
					&& NodeConnection.this.assigned.contains(wire)) {
				NodeConnection.this.events.changed(NodeConnection.this);
			}
		}

		@Override
		public void sunsubscribed(byte[] shardChannel, long count) {
			// Also sent by the server, unasked, when the channel's slot moves to another node.
			if (NodeConnection.this.confirmed.remove(new Wire(Op.SSUBSCRIBE, string(shardChannel))) && current()) {
				NodeConnection.this.events.changed(NodeConnection.this);
			}
		}

		private void confirm(Op op, byte[] name) {
			Wire wire = new Wire(op, string(name));
			if (confirmIfCurrent(this.source, wire)) {
				NodeConnection.this.events.confirmed(NodeConnection.this);
				if (NodeConnection.this.refused.remove(wire)) {
					NodeConnection.this.reports.granted(NodeConnection.this, wire);
					// Settled now, perhaps: look again rather than at the next liveness check.
					NodeConnection.this.events.changed(NodeConnection.this);
				}
				if (!NodeConnection.this.assigned.contains(wire)) {
					// Resubscribed by Lettuce after a reconnect, or no longer wanted when the server confirmed it:
					// unsubscribe now rather than at the next liveness check.
					NodeConnection.this.events.changed(NodeConnection.this);
				}
			}
		}

	}

}
