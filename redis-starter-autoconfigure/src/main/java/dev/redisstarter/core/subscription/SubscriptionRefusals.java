package dev.redisstarter.core.subscription;

import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.PermissionRefusals;
import dev.redisstarter.core.RedisFailure;
import dev.redisstarter.core.subscription.NodeConnection.Op;
import dev.redisstarter.core.subscription.NodeConnection.Wire;

/**
 * What the subscriber tells health and the log when Redis refuses its listeners: a subscription refused by the
 * user's channel rules ({@code subscription to channel shop:events}, on a Cluster with the node, whose users may
 * differ from the others'), or a node refusing a new connection's credentials or TLS
 * ({@code pub/sub connection to host:port}); and when such a refusal is over or no longer matters.
 */
final class SubscriptionRefusals {

	private final PermissionRefusals permissions;

	private final Duration retryInterval;

	private final BooleanSupplier clusterMode;

	/** What the starter's own subscriber is for ("cache invalidations"), {@code null} for the application's listeners. */
	private final @Nullable String ownPurpose;

	SubscriptionRefusals(PermissionRefusals permissions, Duration retryInterval, BooleanSupplier clusterMode,
			@Nullable String ownPurpose) {
		this.permissions = permissions;
		this.retryInterval = retryInterval;
		this.clusterMode = clusterMode;
		this.ownPurpose = ownPurpose;
	}

	void refused(NodeConnection source, Wire wire, RedisFailure failure) {
		if (this.ownPurpose != null) {
			// The starter's own notices: health names what they are for, and the log what they cost.
			this.permissions.subscriptionRefused(this.ownPurpose, wire.name(), failure);
			return;
		}
		this.permissions.listenerSubscriptionRefused(subscription(source, wire), wire.op().name(), wire.name(),
				wire.op() == Op.PSUBSCRIBE, failure, this.retryInterval);
	}

	void granted(NodeConnection source, Wire wire) {
		if (this.ownPurpose != null) {
			this.permissions.subscribed(this.ownPurpose);
			return;
		}
		this.permissions.granted(subscription(source, wire));
	}

	void forgotten(NodeConnection source, Wire wire) {
		if (this.ownPurpose != null) {
			this.permissions.forget("subscription for " + this.ownPurpose);
			return;
		}
		this.permissions.forget(subscription(source, wire));
	}

	void connectionRefused(NodeConnection source, RedisFailure failure, long retryInMillis) {
		this.permissions.connectionRefused(connection(source.node()), failure, retryInMillis);
	}

	void connectionOpened(NodeConnection source) {
		this.permissions.granted(connection(source.node()));
	}

	void connectionForgotten(NodeConnection source) {
		this.permissions.forget(connection(source.node()));
	}

	/**
	 * Every subscription is carried: a node that refused the credentials and carries none of them now (the channels
	 * moved to a node that accepts them) is no longer a problem of this application's listeners.
	 * @param refusing the refusing nodes
	 * @param used the addresses of the nodes that carry subscriptions
	 */
	void forgetNodesNotUsed(RefusedNodes refusing, Set<String> used) {
		for (String node : refusing.nodes()) {
			if (!used.contains(node) && refusing.clear(node)) {
				this.permissions.forget(connection(node));
			}
		}
	}

	/**
	 * A node that left the topology refuses nothing any more: out of health and of the back-offs.
	 * @param refusing the refusing nodes
	 * @param present the addresses of every node in the topology
	 */
	void forgetNodesThatLeft(RefusedNodes refusing, Set<String> present) {
		for (String node : refusing.nodes()) {
			if (!present.contains(node) && refusing.clear(node)) {
				this.permissions.forget(connection(node));
			}
		}
	}

	private static String connection(String node) {
		return "pub/sub connection to " + node;
	}

	/**
	 * What health calls a refused subscription, such as {@code subscription to channel shop:events}; on a Cluster
	 * with the node, whose ACL may differ from the others' (ACL SETUSER acts on one node).
	 */
	private String subscription(NodeConnection source, Wire wire) {
		String kind = switch (wire.op()) {
			case SUBSCRIBE -> "channel";
			case PSUBSCRIBE -> "pattern";
			case SSUBSCRIBE -> "shard channel";
		};
		return "subscription to " + kind + " " + wire.name() + (this.clusterMode.getAsBoolean() ? " on " + source.node() : "");
	}

}
