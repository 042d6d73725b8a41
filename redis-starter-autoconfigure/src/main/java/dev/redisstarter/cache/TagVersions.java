package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The tag versions this instance knows, so that a tagged hit needs no second round trip to check them.
 * Kept fresh by a subscription (a connection of its own) to the channel every invalidation publishes its tag
 * on. Known versions are trusted only while that subscription is up: when it drops, they are forgotten and
 * entries are checked against Redis until it is subscribed again (notices sent in between are lost, so
 * nothing learned before can be trusted). A version learned from Redis is kept only if no notice arrived
 * while it was being read, so a notice can never be overtaken by the read it should have cancelled.
 */
final class TagVersions implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(TagVersions.class);

	/** Beyond this many tags, the known versions are dropped and learned again (a bound, not an LRU). */
	private static final int MAX_KNOWN = 100_000;

	private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final LettuceConnectionFactory connectionFactory;

	private final byte[] channel;

	private final boolean enabled;

	private final ConcurrentHashMap<String, String> known = new ConcurrentHashMap<>();

	/** Moves on with every notice and every loss of the subscription. */
	private final AtomicLong epoch = new AtomicLong();

	private volatile boolean trusted;

	private volatile @Nullable StatefulRedisPubSubConnection<byte[], byte[]> subscription;

	private volatile long nextAttempt;

	private volatile boolean closed;

	/**
	 * Versions kept locally.
	 * @param connectionFactory whose client the subscription connects with
	 * @param channel where invalidations are published
	 * @param enabled false to keep nothing locally (every tagged hit then reads the versions from Redis)
	 */
	TagVersions(LettuceConnectionFactory connectionFactory, String channel, boolean enabled) {
		this.connectionFactory = connectionFactory;
		this.channel = channel.getBytes(StandardCharsets.UTF_8);
		this.enabled = enabled;
	}

	/** The version known for a tag, or {@code null} when it must be read from Redis. */
	@Nullable String known(String tag) {
		if (!this.enabled) {
			return null;
		}
		if (this.subscription == null) {
			subscribe();
		}
		return this.trusted ? this.known.get(tag) : null;
	}

	/** Where notices stand: take it before reading versions from Redis, and pass it to {@link #learn}. */
	long epoch() {
		return this.epoch.get();
	}

	/** Keeps a version read from Redis, unless a notice or a disconnection came since {@code epochBefore}. */
	void learn(String tag, String version, long epochBefore) {
		if (!this.trusted || this.epoch.get() != epochBefore) {
			return;
		}
		if (this.known.size() >= MAX_KNOWN) {
			this.known.clear();
		}
		this.known.put(tag, version);
		if (this.epoch.get() != epochBefore) {
			// A notice arrived while this was being stored: it may have been for this tag.
			this.known.remove(tag, version);
		}
	}

	/** Forgets a tag's version: it was invalidated, here or elsewhere. */
	void forget(String tag) {
		this.epoch.incrementAndGet();
		this.known.remove(tag);
	}

	private void forgetAll() {
		this.trusted = false;
		this.epoch.incrementAndGet();
		this.known.clear();
	}

	private synchronized void subscribe() {
		if (this.subscription != null || this.closed || System.nanoTime() < this.nextAttempt) {
			return;
		}
		try {
			AbstractRedisClient client = this.connectionFactory.getNativeClient();
			StatefulRedisPubSubConnection<byte[], byte[]> connection;
			if (client instanceof RedisClusterClient cluster) {
				connection = cluster.connectPubSub(ByteArrayCodec.INSTANCE);
			}
			else if (client instanceof RedisClient standalone) {
				connection = standalone.connectPubSub(ByteArrayCodec.INSTANCE);
			}
			else {
				this.nextAttempt = Long.MAX_VALUE;
				logger.info("Cache tag versions are read from Redis on every tagged hit: no Lettuce client to subscribe with");
				return;
			}
			connection.addListener(new Notices());
			connection.addListener(new RedisConnectionStateListener() {
				@Override
				public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
					forgetAll();
				}
			});
			connection.sync().subscribe(this.channel);
			this.subscription = connection;
		}
		catch (RuntimeException ex) {
			this.nextAttempt = System.nanoTime() + RETRY_NANOS;
			logger.debug("Could not subscribe to cache invalidations, will retry: " + ex.getMessage());
		}
	}

	@Override
	public void close() {
		this.closed = true;
		forgetAll();
		StatefulRedisPubSubConnection<byte[], byte[]> connection = this.subscription;
		if (connection != null) {
			connection.close();
		}
	}

	/** Notices and (re)subscriptions: Lettuce subscribes again by itself after a reconnection. */
	private final class Notices extends RedisPubSubAdapter<byte[], byte[]> {

		@Override
		public void message(byte[] channel, byte[] tag) {
			forget(new String(tag, StandardCharsets.UTF_8));
		}

		@Override
		public void subscribed(byte[] channel, long count) {
			forgetAll();
			TagVersions.this.trusted = true;
		}

	}

}
