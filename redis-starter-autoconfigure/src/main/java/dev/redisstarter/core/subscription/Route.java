package dev.redisstarter.core.subscription;

import java.util.Objects;

/**
 * What a listener subscribes to, as Redis names it (prefix already applied).
 *
 * @param kind how it is subscribed
 * @param name the channel, shard channel or pattern
 */
public record Route(Kind kind, String name) {

	/** How a route is subscribed, and where on a Cluster. */
	public enum Kind {

		/** {@code SUBSCRIBE} to one channel; on a Cluster, on one master (publishes reach every node). */
		CHANNEL,

		/** {@code PSUBSCRIBE} to a glob; on a Cluster, on one master. */
		PATTERN,

		/**
		 * {@code SSUBSCRIBE} on a Cluster, on the master that owns the channel's slot, followed through slot
		 * migrations and failovers; a plain {@code SUBSCRIBE} on a single server.
		 */
		SHARD_CHANNEL,

		/**
		 * {@code PSUBSCRIBE} on every master of a Cluster (keyspace notifications are published only on the node
		 * that holds the key); a plain {@code PSUBSCRIBE} on a single server.
		 */
		NODE_PATTERN

	}

	/**
	 * A route.
	 * @param kind how it is subscribed
	 * @param name what Redis calls it
	 */
	public Route {
		Objects.requireNonNull(kind, "kind must not be null");
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("A channel or pattern must not be empty");
		}
	}

	/**
	 * Whether the route is a glob.
	 * @return true for a pattern or a node pattern
	 */
	public boolean isPattern() {
		return this.kind == Kind.PATTERN || this.kind == Kind.NODE_PATTERN;
	}

}
