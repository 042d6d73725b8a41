package dev.redisstarter.messaging.pubsub;

import dev.redisstarter.core.subscription.Route;

import java.util.Map;
import java.util.Objects;

/**
 * Turns the channel names used in code ({@code bus.publish("orders", ...)}, {@code @RedisListener("orders")})
 * into what Redis sees: the channel prefix (by default the key prefix, such as {@code shop:}) in front unless
 * the channel is configured unprefixed, and the subscription kind. Names that start with {@code __} (keyspace
 * notifications and other server channels) are never prefixed.
 */
public final class ChannelNames {

	private final String prefix;

	private final Map<String, ChannelSettings> channels;

	/**
	 * Names with a prefix and per-channel settings.
	 * @param prefix put before every channel name that is prefixed (may be empty)
	 * @param channels settings by the channel name used in code; others are {@link ChannelSettings#DEFAULTS}
	 */
	public ChannelNames(String prefix, Map<String, ChannelSettings> channels) {
		this.prefix = Objects.requireNonNull(prefix, "prefix must not be null");
		this.channels = Map.copyOf(channels);
		this.channels.forEach((name, settings) -> {
			if (settings.sharded() && isPattern(name)) {
				throw new IllegalArgumentException("Channel '" + name + "' is a pattern and cannot be sharded: Redis"
						+ " has no pattern subscription for shard channels");
			}
		});
	}

	/**
	 * The prefix put before channel names.
	 * @return the prefix, possibly empty
	 */
	public String prefix() {
		return this.prefix;
	}

	/**
	 * Where a publish on a channel goes.
	 * @param channel the name used in code
	 * @return a {@link Route.Kind#CHANNEL} or {@link Route.Kind#SHARD_CHANNEL} route
	 */
	public Route publishRoute(String channel) {
		requireName(channel);
		ChannelSettings settings = settings(channel);
		return new Route(settings.sharded() ? Route.Kind.SHARD_CHANNEL : Route.Kind.CHANNEL, name(channel, settings));
	}

	/**
	 * What a listener of a topic subscribes to: keyspace and keyevent channels ({@code __keyspace@...},
	 * {@code __keyevent@...}) on every master; a pattern when the topic has glob characters (as Spring's
	 * {@code @RedisListener} reads it); else a channel or shard channel.
	 * @param topic the name used in code
	 * @return the route
	 */
	public Route listenRoute(String topic) {
		requireName(topic);
		if (topic.startsWith("__keyspace@") || topic.startsWith("__keyevent@")) {
			// Keyspace notifications are published only by the node that holds the key: every master.
			return new Route(Route.Kind.NODE_PATTERN, topic);
		}
		ChannelSettings settings = settings(topic);
		Route.Kind kind = isPattern(topic) ? Route.Kind.PATTERN
				: settings.sharded() ? Route.Kind.SHARD_CHANNEL : Route.Kind.CHANNEL;
		return new Route(kind, name(topic, settings));
	}

	/**
	 * A channel's name in Redis.
	 * @param channel the name used in code
	 * @return the name Redis sees
	 */
	public String resolve(String channel) {
		return name(channel, settings(channel));
	}

	private ChannelSettings settings(String channel) {
		return this.channels.getOrDefault(channel, ChannelSettings.DEFAULTS);
	}

	private String name(String channel, ChannelSettings settings) {
		return (settings.prefixed() && !channel.startsWith("__")) ? this.prefix + channel : channel;
	}

	private static void requireName(String channel) {
		if (channel == null || channel.isBlank()) {
			throw new IllegalArgumentException("A channel name must not be empty");
		}
	}

	/**
	 * Whether a topic has glob characters ({@code * ? [} not escaped), as Spring's topic resolver decides.
	 * @param topic a topic
	 * @return true for a pattern
	 */
	static boolean isPattern(String topic) {
		for (int i = 0; i < topic.length(); i++) {
			char c = topic.charAt(i);
			if (c == '\\') {
				i++;
			}
			else if (c == '?' || c == '*' || c == '[') {
				return true;
			}
		}
		return false;
	}

}
