package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import dev.redisstarter.messaging.pubsub.WhenFull;

/**
 * {@code redis.starter.messaging.*}: pub/sub publishing, {@code @RedisListener} dispatch and request-reply.
 */
public class MessagingProperties {

	/**
	 * Whether the starter serves pub/sub (MessageBus, @RedisListener dispatch, @KeyEventListener). When false,
	 * @RedisListener methods are left to Spring's own container.
	 */
	private boolean enabled = true;

	/**
	 * How long a publish waits for Redis before MessagingUnavailableException; independent of
	 * spring.data.redis.timeout.
	 */
	private Duration timeout = Duration.ofMillis(500);

	/**
	 * Put before every channel name (publishers and listeners alike). Defaults to redis.starter.key-prefix; set
	 * it to an empty string to use channel names as they are.
	 */
	private @Nullable String channelPrefix;

	/**
	 * How many bytes of received messages may wait for listeners that are behind (with when-full: block) before
	 * further messages are dropped and counted; Redis's own limit for a subscriber's buffer is 32MB by default.
	 */
	private DataSize inboxLimit = DataSize.ofMegabytes(32);

	public DataSize getInboxLimit() {
		return this.inboxLimit;
	}

	public void setInboxLimit(DataSize inboxLimit) {
		this.inboxLimit = inboxLimit;
	}

	/**
	 * How long MessageBus.request waits for a reply when no timeout is given.
	 */
	private Duration requestTimeout = Duration.ofSeconds(5);

	/**
	 * On shutdown, how long the listeners together may go on with the messages they have already queued.
	 */
	private Duration shutdownWait = Duration.ofSeconds(5);

	/**
	 * Dispatch of every listener that is not configured otherwise.
	 */
	private final Listener listener = new Listener();

	/**
	 * Dispatch of individual listeners by id (@RedisListener(id), @KeyEventListener(id), else
	 * SimpleClassName.method); wins over @ListenerOptions.
	 */
	private final Map<String, ListenerOverride> listeners = new LinkedHashMap<>();

	/**
	 * Settings of individual channels (or patterns) by the name used in code; a name with dots or globs is
	 * written in brackets: '[orders.*]'.
	 */
	private final Map<String, Channel> channels = new LinkedHashMap<>();

	private final Keyspace keyspace = new Keyspace();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = RedisStarterProperties.positive("redis.starter.messaging.timeout", timeout);
	}

	public @Nullable String getChannelPrefix() {
		return this.channelPrefix;
	}

	public void setChannelPrefix(@Nullable String channelPrefix) {
		this.channelPrefix = channelPrefix;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = RedisStarterProperties.positive("redis.starter.messaging.request-timeout",
				requestTimeout);
	}

	public Duration getShutdownWait() {
		return this.shutdownWait;
	}

	public void setShutdownWait(Duration shutdownWait) {
		this.shutdownWait = RedisStarterProperties.positive("redis.starter.messaging.shutdown-wait", shutdownWait);
	}

	public Listener getListener() {
		return this.listener;
	}

	public Map<String, ListenerOverride> getListeners() {
		return this.listeners;
	}

	public Map<String, Channel> getChannels() {
		return this.channels;
	}

	public Keyspace getKeyspace() {
		return this.keyspace;
	}

	/**
	 * Default dispatch of listeners.
	 */
	public static class Listener {

		/**
		 * How many threads run each listener.
		 */
		private int concurrency = 1;

		/**
		 * How many received messages may wait for a listener's threads.
		 */
		private int queueCapacity = 10_000;

		/**
		 * What a message that finds the queue full does: 'block' (the subscriber's delivery thread waits; nothing
		 * is dropped until the inbox-limit is reached) or 'drop' (dropped and counted).
		 */
		private WhenFull whenFull = WhenFull.BLOCK;

		/**
		 * Whether a channel's messages are handled one at a time in publish order (each channel goes to one
		 * thread); when false any thread takes the next message.
		 */
		private boolean ordered = true;

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public WhenFull getWhenFull() {
			return this.whenFull;
		}

		public void setWhenFull(WhenFull whenFull) {
			this.whenFull = whenFull;
		}

		public boolean isOrdered() {
			return this.ordered;
		}

		public void setOrdered(boolean ordered) {
			this.ordered = ordered;
		}

	}

	/**
	 * One listener's dispatch; what is not set comes from redis.starter.messaging.listener.
	 */
	public static class ListenerOverride {

		/**
		 * How many threads run the listener.
		 */
		private @Nullable Integer concurrency;

		/**
		 * How many received messages may wait.
		 */
		private @Nullable Integer queueCapacity;

		/**
		 * What a full queue does: 'block' or 'drop'.
		 */
		private @Nullable WhenFull whenFull;

		/**
		 * Whether a channel's messages are handled in publish order.
		 */
		private @Nullable Boolean ordered;

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable Integer getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(@Nullable Integer queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public @Nullable WhenFull getWhenFull() {
			return this.whenFull;
		}

		public void setWhenFull(@Nullable WhenFull whenFull) {
			this.whenFull = whenFull;
		}

		public @Nullable Boolean getOrdered() {
			return this.ordered;
		}

		public void setOrdered(@Nullable Boolean ordered) {
			this.ordered = ordered;
		}

	}

	/**
	 * One channel's naming and transport.
	 */
	public static class Channel {

		/**
		 * Whether the channel prefix is put before this channel's name.
		 */
		private boolean prefixed = true;

		/**
		 * Whether this is a shard channel: SPUBLISH/SSUBSCRIBE on a Cluster (the message goes to the shard that
		 * owns the channel's slot instead of every node); plain PUBLISH/SUBSCRIBE on a single server.
		 */
		private boolean sharded;

		public boolean isPrefixed() {
			return this.prefixed;
		}

		public void setPrefixed(boolean prefixed) {
			this.prefixed = prefixed;
		}

		public boolean isSharded() {
			return this.sharded;
		}

		public void setSharded(boolean sharded) {
			this.sharded = sharded;
		}

	}

	/**
	 * Keyspace notifications for @KeyEventListener.
	 */
	public static class Keyspace {

		/**
		 * Whether to set notify-keyspace-events on each node that lacks what a @KeyEventListener needs (CONFIG
		 * SET); when false, a warning names the missing flags.
		 */
		private boolean configureServer;

		public boolean isConfigureServer() {
			return this.configureServer;
		}

		public void setConfigureServer(boolean configureServer) {
			this.configureServer = configureServer;
		}

	}

}
