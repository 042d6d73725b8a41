package dev.redisstarter.lock;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.subscription.PubSubSubscriber;
import dev.redisstarter.core.subscription.Route;
import dev.redisstarter.core.subscription.RouteListener;

/**
 * Wakes a local waiter when any instance releases a lock: one subscription (on a connection of its own) to
 * the channel every release publishes the lock's name on. A lock's line ({@link LockLine}) exists only while the
 * lock has waiters here.
 * Each notice is a ticket that wakes one waiter, not all of them: only one can win the lock, and waking every
 * waiter would cost a failed round trip each (a thundering herd). A waiter registers before it first tries
 * the lock, so a notice that arrives between a failed try and the wait leaves a ticket and is not lost; a
 * woken waiter always tries again, and its own release passes the turn on. A release by this instance wakes its
 * waiter here directly ({@link #releasedHere}), and the notice's echo is then not counted again.
 */
final class LockNotices implements RouteListener, AutoCloseable {

	private final PubSubSubscriber subscription;

	private final ConcurrentHashMap<String, LockLine> lines = new ConcurrentHashMap<>();

	/** Subscribes in the background: a lock works without notices (waiters poll) until it is up. */
	LockNotices(RedisAccess access, String channel) {
		this.subscription = new PubSubSubscriber(access, "lock release notices");
		this.subscription.subscribeDirect(new Route(Route.Kind.CHANNEL, channel), this);
		this.subscription.start();
	}

	@Override
	public void message(Route route, String channel, byte[] message) {
		LockLine line = this.lines.get(new String(message, StandardCharsets.UTF_8));
		if (line != null) {
			line.fire();
		}
	}

	/**
	 * A lock released by this instance: wakes a waiter here at once instead of when the notice comes back through
	 * Redis, and, when a notice went out, lets that echo pass without a second wake-up.
	 * @param name the lock's name
	 * @param noticeSent whether the release published a notice (which this subscription will receive)
	 * @param sentAt {@link System#nanoTime()} before the release was sent: its echo may come back before its reply
	 */
	void releasedHere(String name, boolean noticeSent, long sentAt) {
		LockLine line = this.lines.get(name);
		if (line != null) {
			line.fireHere(noticeSent, sentAt);
		}
	}

	/** Whether this instance's waiter in Redis for a lock, counted there, offers to take it over (for tests). */
	boolean hasOffer(String name) {
		LockLine line = this.lines.get(name);
		return line != null && line.hasOffer();
	}

	/** Whether a thread of this instance waits for a lock. */
	boolean hasWaiters(String name) {
		return this.lines.containsKey(name);
	}

	/** How many waiters of this instance stand behind the one waiting in Redis for a lock. */
	int queued(String name) {
		LockLine line = this.lines.get(name);
		return (line != null) ? line.queued() : 0;
	}

	/**
	 * Takes the offer of this instance's first waiter for a lock, if it is not claimed or leaving, so that a release
	 * here can hand the lock straight to it ({@code handoff.lua}); the caller must {@link LockLine.Offer#complete complete} it.
	 * @param name the lock's name
	 * @return the offer, or {@code null}
	 */
	LockLine.@Nullable Offer claimOffer(String name) {
		LockLine line = this.lines.get(name);
		return (line != null) ? line.claim() : null;
	}

	// Releases missed while the subscription was lost are made up for by polling: no subscribed or lost handling.

	LockLine register(String name) {
		return this.lines.compute(name, (key, line) -> {
			LockLine registered = (line != null) ? line : new LockLine();
			registered.waiters++;
			return registered;
		});
	}

	void unregister(String name) {
		this.lines.computeIfPresent(name, (key, line) -> (--line.waiters == 0) ? null : line);
	}

	@Override
	public void close() {
		this.subscription.close();
	}

}
