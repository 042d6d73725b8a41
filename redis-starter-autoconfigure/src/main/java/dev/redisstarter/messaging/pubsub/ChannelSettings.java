package dev.redisstarter.messaging.pubsub;

/**
 * How one channel (or pattern) is named and carried.
 *
 * @param prefixed whether the channel prefix is put before its name (publishers and listeners alike)
 * @param sharded whether it is a shard channel ({@code SSUBSCRIBE}/{@code SPUBLISH} on a Cluster: messages go
 * to one shard instead of every node)
 */
public record ChannelSettings(boolean prefixed, boolean sharded) {

	/** Prefixed, not sharded. */
	public static final ChannelSettings DEFAULTS = new ChannelSettings(true, false);

}
