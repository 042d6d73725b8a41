package dev.redisstarter.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A subscription to one channel on a connection of its own (opened with the factory's Lettuce client), that
 * never blocks its owner and never trusts a connection it cannot hear from:
 * <ul>
 * <li>it connects and subscribes on a background thread, and retries every liveness interval until it
 * succeeds, so the application starts without Redis;</li>
 * <li>every liveness interval it sends a {@code PING} on the subscribed connection; when no answer comes
 * within the liveness timeout (a connection silently dropped by a NAT or load balancer: no error, no event),
 * the listener is told the subscription is {@linkplain Listener#lost() lost}, and the connection is replaced;</li>
 * <li>a disconnection Lettuce notices is reported as lost at once; Lettuce subscribes again after it
 * reconnects, which is reported as {@linkplain Listener#subscribed() subscribed}.</li>
 * </ul>
 * Messages published while it was lost are not delivered: a listener must treat {@code lost} as "anything
 * may have happened".
 */
public final class RedisSubscription implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisSubscription.class);


	/** Each attempt that hangs holds a thread until Lettuce's own timeout: at most this many at once. */
	private static final int MAX_ATTEMPTS_IN_FLIGHT = 2;

	/** What a subscription reports. Called on Lettuce's threads or the subscription's own: must not block. */
	public interface Listener {

		/**
		 * A message on the channel.
		 * @param message its payload
		 */
		void message(byte[] message);

		/** The subscription is up (again): messages from now on are delivered. */
		void subscribed();

		/** The subscription is down or silent: messages may have been missed. */
		void lost();

	}

	private final RedisAccess access;

	private final String description;

	private final byte[] channel;

	private final Listener listener;

	/** When the attempt under way started, 0 when none: one that hangs (a black hole) is left after a while. */
	private final AtomicLong connectingSince = new AtomicLong();

	private final AtomicInteger attemptsInFlight = new AtomicInteger();

	private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> connection;

	private volatile boolean subscribed;

	private volatile boolean closed;

	private volatile boolean started;


	/**
	 * A subscription, idle until {@link #start()}.
	 * @param access whose client connects and whose settings give the liveness interval and timeout
	 * @param description what it is for, in logs (such as "cache invalidations")
	 * @param channel the channel
	 * @param listener what to tell
	 */
	public RedisSubscription(RedisAccess access, String description, String channel, Listener listener) {
		this.access = Objects.requireNonNull(access, "access must not be null");
		this.description = Objects.requireNonNull(description, "description must not be null");
		this.channel = channel.getBytes(StandardCharsets.UTF_8);
		this.listener = Objects.requireNonNull(listener, "listener must not be null");
	}

	/** Starts connecting in the background and checking liveness; returns at once. Idempotent. */
	public synchronized void start() {
		if (this.started || this.closed) {
			return;
		}
		this.started = true;
		connectInBackground();
		scheduleCheck();
	}

	/**
	 * Whether the subscription is up and was heard from at the last check.
	 * @return true when messages are being delivered
	 */
	public boolean isSubscribed() {
		return this.subscribed;
	}

	private void scheduleCheck() {
		if (this.closed) {
			return;
		}
		CompletableFuture
			.delayedExecutor(this.access.settings().livenessInterval().toMillis(), TimeUnit.MILLISECONDS,
					this.access.background())
			.execute(this::check);
	}

	private void check() {
		if (this.closed) {
			return;
		}
		if (this.access.isClosed()) {
			// The application is closing.
			close();
			return;
		}
		if (this.access.isSuspended() || !this.access.connectionFactory().isRunning()) {
			// The factory is stopped (a stopped or paused context): try again once it runs.
			scheduleCheck();
			return;
		}
		StatefulRedisPubSubConnection<byte[], byte[]> current = this.connection;
		if (current == null) {
			if (!this.access.refusesConnections()) {
				// Else the credentials or TLS are refused: the starter's connection backs off and names it.
				connectInBackground();
			}
			scheduleCheck();
			return;
		}
		current.async()
			.ping()
			.toCompletableFuture()
			.orTimeout(this.access.settings().livenessTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((pong, failure) -> {
				if (failure != null && !this.closed) {
					logger.warn("The subscription for " + this.description + " did not answer a PING within "
							+ this.access.settings().livenessTimeout().toMillis() + " ms: replacing it");
					replace(current);
				}
				scheduleCheck();
			});
	}

	private void replace(StatefulRedisPubSubConnection<byte[], byte[]> silent) {
		if (this.connection == silent) {
			this.connection = null;
			markLost();
			LettuceConnections.closeAsync(silent);
			connectInBackground();
		}
	}

	private void markLost() {
		this.subscribed = false;
		this.listener.lost();
	}

	private void connectInBackground() {
		long since = this.connectingSince.get();
		long now = System.nanoTime();
		boolean hung = since != 0 && now - since > ConnectionOpener.ABANDON_CONNECT_AFTER.toNanos();
		if (this.closed || (since != 0 && (!hung || this.attemptsInFlight.get() >= MAX_ATTEMPTS_IN_FLIGHT))
				|| !this.connectingSince.compareAndSet(since, now)) {
			return;
		}
		this.attemptsInFlight.incrementAndGet();
		StarterThreads.background("subscribe", () -> {
			try {
				connect();
			}
			finally {
				this.attemptsInFlight.decrementAndGet();
				this.connectingSince.compareAndSet(now, 0);
			}
		}).start();
	}

	private void connect() {
		StatefulRedisPubSubConnection<byte[], byte[]> opened = null;
		try {
			AbstractRedisClient client = this.access.connectionFactory().getNativeClient();
			if (client instanceof RedisClusterClient cluster) {
				opened = cluster.connectPubSub(ByteArrayCodec.INSTANCE);
			}
			else if (client instanceof RedisClient standalone) {
				opened = standalone.connectPubSub(ByteArrayCodec.INSTANCE);
			}
			else {
				logger.info("No subscription for " + this.description + ": no Lettuce client to subscribe with");
				this.closed = true;
				return;
			}
			StatefulRedisPubSubConnection<byte[], byte[]> mine = opened;
			opened.addListener(new Messages(mine));
			opened.addListener(new RedisConnectionStateListener() {
				@Override
				public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
					if (RedisSubscription.this.connection == mine) {
						markLost();
					}
				}
			});
			synchronized (this) {
				if (this.closed || this.connection != null) {
					// Closed meanwhile, or an attempt that started later got there first.
					LettuceConnections.closeAsync(opened);
					return;
				}
				this.connection = opened;
			}
			opened.async()
				.subscribe(this.channel)
				.toCompletableFuture()
				.get(this.access.settings().livenessTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			if (opened != null) {
				synchronized (this) {
					if (this.connection == opened) {
						this.connection = null;
					}
				}
				LettuceConnections.closeAsync(opened);
			}
			RedisFailure failure = RedisFailure.of(ex);
			if (failure.kind() == RedisFailure.Kind.PERMISSION) {
				// Logged once by the refusals, shown in health; retried at each liveness check.
				this.access.permissions().subscriptionRefused(this.description,
						new String(this.channel, StandardCharsets.UTF_8), failure);
			}
			logger.debug("Could not subscribe for " + this.description + ", will retry: " + ex);
		}
	}

	/** Stops the subscription; the listener is told it is lost. */
	@Override
	public void close() {
		StatefulRedisPubSubConnection<byte[], byte[]> current;
		synchronized (this) {
			this.closed = true;
			current = this.connection;
			this.connection = null;
		}
		markLost();
		if (current != null) {
			LettuceConnections.close(current);
		}
	}

	@Override
	public String toString() {
		return "RedisSubscription[" + this.description + ", " + (this.subscribed ? "subscribed" : "not subscribed") + "]";
	}

	/** Events of one connection, ignored once it is no longer the subscription's. */
	private final class Messages extends RedisPubSubAdapter<byte[], byte[]> {

		private final StatefulRedisPubSubConnection<byte[], byte[]> source;

		Messages(StatefulRedisPubSubConnection<byte[], byte[]> source) {
			this.source = source;
		}

		@Override
		public void message(byte[] channel, byte[] message) {
			RedisSubscription.this.listener.message(message);
		}

		@Override
		public void subscribed(byte[] channel, long count) {
			if (!RedisSubscription.this.closed && RedisSubscription.this.connection == this.source) {
				RedisSubscription.this.subscribed = true;
				RedisSubscription.this.access.permissions().subscribed(RedisSubscription.this.description);
				RedisSubscription.this.listener.subscribed();
			}
		}

	}

}
