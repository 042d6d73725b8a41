package dev.redisstarter.core.subscription;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.ConnectionOpener;
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

		/** The server refused a subscription by permission (the user's channel rules): it is tried at the next retry. */
		void refused(NodeConnection source, Wire wire, RedisFailure failure);

		/** A subscription refused before is confirmed now. */
		void granted(NodeConnection source, Wire wire);

		/** A subscription refused before is no longer wanted here. */
		void forgotten(NodeConnection source, Wire wire);

		/**
		 * Redis refused the credentials or the TLS handshake of a new connection: the connection is tried again
		 * after a back-off, not at every look.
		 */
		void connectionRefused(NodeConnection source, RedisFailure failure, long retryInMillis);

		/** A connection opened: a refusal of its credentials is over. */
		void connectionOpened(NodeConnection source);

		/** A node that refused the credentials no longer does so because it is down, or it left the topology. */
		void connectionForgotten(NodeConnection source);

	}

	private final String node;

	private final Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> opener;

	private final Events events;

	private final Set<Wire> confirmed = ConcurrentHashMap.newKeySet();

	/**
	 * What the last {@link #reconcile} asked this connection to carry. Lettuce subscribes again to everything
	 * it had when it reconnects, so a node that comes back carries channels that moved to another node while
	 * it was away, until they are unsubscribed here: their messages would arrive twice.
	 */
	private volatile Set<Wire> assigned = Set.of();

	/** When the open under way started, 0 when none. */
	private final AtomicLong openingSince = new AtomicLong();

	private final AtomicInteger attemptsInFlight = new AtomicInteger();

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

	NodeConnection(String node, Supplier<StatefulRedisPubSubConnection<byte[], byte[]>> opener, Events events,
			RefusedNodes refusals) {
		this.node = node;
		this.opener = opener;
		this.events = events;
		this.refusals = refusals;
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

	boolean hasConfirmed(Wire wire) {
		return this.confirmed.contains(wire);
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
				this.events.forgotten(this, wire);
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
			for (byte[][] names : bySlot(op, unwanted)) {
				watch(switch (op) {
					case SUBSCRIBE -> redis.unsubscribe(names);
					case PSUBSCRIBE -> redis.punsubscribe(names);
					case SSUBSCRIBE -> redis.sunsubscribe(names);
				}, "un" + op.name(), null);
			}
		}
		return desired.stream().allMatch((wire) -> this.confirmed.contains(wire) || this.refused.contains(wire));
	}

	/**
	 * The names of one command family as the commands to send: shard channels one command per slot (a
	 * multi-slot {@code SUNSUBSCRIBE} is refused with {@code CROSSSLOT}), the others all in one.
	 */
	private static List<byte[][]> bySlot(Op op, byte[][] names) {
		if (names.length == 0) {
			return List.of();
		}
		if (op != Op.SSUBSCRIBE || names.length == 1) {
			return List.<byte[][]>of(names);
		}
		Map<Integer, List<byte[]>> slots = new TreeMap<>();
		for (byte[] name : names) {
			slots.computeIfAbsent(SlotHash.getSlot(name), (slot) -> new ArrayList<>()).add(name);
		}
		return slots.values().stream().map((group) -> group.toArray(byte[][]::new)).toList();
	}

	private void watch(RedisFuture<Void> reply, String command, @Nullable Wire subscribing) {
		reply.whenComplete((ok, failure) -> {
			if (failure != null && !this.closed && subscribing != null && this.assigned.contains(subscribing)
					&& RedisFailure.isPermission(failure)) {
				// The user's channel rules: waiting does not fix it. Reported (logged once, in health) and tried
				// again at the next liveness check, not at every look.
				this.refused.add(subscribing);
				this.events.refused(this, subscribing, RedisFailure.of(failure));
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
	 * Opens the connection on a thread of its own: opening blocks until the server answers the handshake, and a
	 * frozen or black-holed node must not hold up the other nodes' subscriptions. An attempt that hangs longer
	 * than {@link ConnectionOpener#ABANDON_CONNECT_AFTER} no longer stops a new one (at most two at a time).
	 */
	private void openInBackground() {
		long since = this.openingSince.get();
		long now = System.nanoTime();
		boolean hung = since != 0 && now - since > ConnectionOpener.ABANDON_CONNECT_AFTER.toNanos();
		if (this.closed || (since != 0 && (!hung || this.attemptsInFlight.get() >= 2))
				|| this.refusals.backingOff(this.node)
				|| !this.openingSince.compareAndSet(since, now)) {
			return;
		}
		this.attemptsInFlight.incrementAndGet();
		StarterThreads.background("pubsub-connect", () -> {
			try {
				if (open()) {
					this.events.changed(this);
				}
			}
			finally {
				this.attemptsInFlight.decrementAndGet();
				this.openingSince.compareAndSet(now, 0);
			}
		}).start();
	}

	private boolean open() {
		StatefulRedisPubSubConnection<byte[], byte[]> opened;
		try {
			opened = this.opener.get();
		}
		catch (RuntimeException ex) {
			RedisFailure failure = RedisFailure.of(ex);
			if (failure.kind() == RedisFailure.Kind.AUTHENTICATION || failure.kind() == RedisFailure.Kind.TLS) {
				// Waiting will not fix it, an operator will: back off (1 s doubling to 30 s, per node) and say so.
				this.events.connectionRefused(this, failure, this.refusals.refused(this.node));
				return false;
			}
			if (this.refusals.clear(this.node)) {
				// Down now rather than refusing: an outage, which the topology and the circuit take care of.
				this.events.connectionForgotten(this);
			}
			logger.debug("Could not open a pub/sub connection to " + this.node + ", will retry: " + ex);
			return false;
		}
		if (this.refusals.clear(this.node)) {
			this.events.connectionOpened(this);
		}
		opened.addListener(new Callbacks(opened));
		opened.addListener(new RedisConnectionStateListener() {
			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
				if (NodeConnection.this.connection == opened) {
					NodeConnection.this.confirmed.clear();
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

	/** Drops the current connection (silent or dead); the next {@link #reconcile} opens a new one. */
	void replace() {
		StatefulRedisPubSubConnection<byte[], byte[]> current;
		synchronized (this) {
			current = this.connection;
			this.connection = null;
		}
		this.confirmed.clear();
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
				this.events.forgotten(this, wire);
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
			if (current()) {
				Wire wire = new Wire(op, string(name));
				NodeConnection.this.confirmed.add(wire);
				if (NodeConnection.this.refused.remove(wire)) {
					NodeConnection.this.events.granted(NodeConnection.this, wire);
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
