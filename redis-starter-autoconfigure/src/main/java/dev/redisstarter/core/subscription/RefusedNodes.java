package dev.redisstarter.core.subscription;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The nodes whose last pub/sub connection attempt was refused its credentials or TLS (a password rotated at run
 * time while the starter's own connection stays authenticated), each with its own back-off: 1 s doubling to 30 s.
 * Kept by node address for the subscriber's lifetime, not by connection, so that closing a connection and opening
 * another to the same node (the channels moving away and back) does not start its back-off afresh. A node leaves
 * when an attempt opens, when it answers with something else than a refusal (it is down: not refusing any more),
 * or when it leaves the topology; at most one entry per node.
 */
final class RefusedNodes {

	private static final long FIRST_BACKOFF_MILLIS = 1000;

	private static final long MAX_BACKOFF_MILLIS = 30_000;

	private record Refusal(long backoffMillis, long untilNanos) {
	}

	private final Map<String, Refusal> byNode = new ConcurrentHashMap<>();

	/**
	 * A node refused an attempt: its next attempt waits twice as long as the last (1 s at first, 30 s at most).
	 * @param node the node's address
	 * @return the back-off, in ms
	 */
	long refused(String node) {
		Refusal refusal = this.byNode.compute(node, (address, previous) -> {
			long backoff = (previous != null) ? Math.min(MAX_BACKOFF_MILLIS, previous.backoffMillis() * 2)
					: FIRST_BACKOFF_MILLIS;
			return new Refusal(backoff, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff));
		});
		return refusal.backoffMillis();
	}

	/**
	 * Whether a node's last attempt was refused (and none opened since).
	 * @param node the node's address
	 * @return true while it refuses
	 */
	boolean refuses(String node) {
		return this.byNode.containsKey(node);
	}

	/**
	 * Whether a node's back-off is still running: no attempt before it ends.
	 * @param node the node's address
	 * @return true until its back-off ends
	 */
	boolean backingOff(String node) {
		Refusal refusal = this.byNode.get(node);
		return refusal != null && refusal.untilNanos() - System.nanoTime() > 0;
	}

	/**
	 * A node no longer refuses (an attempt opened, it is down, or it left).
	 * @param node the node's address
	 * @return whether it was refusing
	 */
	boolean clear(String node) {
		return this.byNode.remove(node) != null;
	}

	/**
	 * Whether no node refuses.
	 * @return true when none does
	 */
	boolean isEmpty() {
		return this.byNode.isEmpty();
	}

	/**
	 * The refusing nodes.
	 * @return their addresses, a copy
	 */
	Set<String> nodes() {
		return Set.copyOf(this.byNode.keySet());
	}

}
