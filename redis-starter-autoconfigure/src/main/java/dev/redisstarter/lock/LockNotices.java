package dev.redisstarter.lock;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.subscription.PubSubSubscriber;
import dev.redisstarter.core.subscription.Route;
import dev.redisstarter.core.subscription.RouteListener;


/**
 * Wakes a local waiter when any instance releases a lock: one subscription (on a connection of its own) to
 * the channel every release publishes the lock's name on. A signal exists only while a lock has waiters here.
 * Each notice is a ticket that wakes one waiter, not all of them: only one can win the lock, and waking every
 * waiter would cost a failed round trip each (a thundering herd). A waiter registers before it first tries
 * the lock, so a notice that arrives between a failed try and the wait leaves a ticket and is not lost; a
 * woken waiter always tries again, and its own release passes the turn on.
 */
final class LockNotices implements RouteListener, AutoCloseable {

	private final PubSubSubscriber subscription;

	private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

	/** Subscribes in the background: a lock works without notices (waiters poll) until it is up. */
	LockNotices(RedisAccess access, String channel) {
		this.subscription = new PubSubSubscriber(access, "lock release notices");
		this.subscription.subscribeDirect(new Route(Route.Kind.CHANNEL, channel), this);
		this.subscription.start();
	}

	@Override
	public void message(Route route, String channel, byte[] message) {
		Signal signal = this.signals.get(new String(message, StandardCharsets.UTF_8));
		if (signal != null) {
			signal.fire();
		}
	}

	// Releases missed while the subscription was lost are made up for by polling: no subscribed or lost handling.

	Signal register(String name) {
		return this.signals.compute(name, (key, signal) -> {
			Signal registered = (signal != null) ? signal : new Signal();
			registered.waiters++;
			return registered;
		});
	}

	void unregister(String name) {
		this.signals.computeIfPresent(name, (key, signal) -> (--signal.waiters == 0) ? null : signal);
	}

	@Override
	public void close() {
		this.subscription.close();
	}

	/** Release notices of one lock, as tickets; {@code waiters} is guarded by the map's compute. */
	static final class Signal {

		private long tickets;

		int waiters;

		synchronized void fire() {
			this.tickets++;
			notify();
		}

		/** Waits for a ticket and takes it; returns whether one came within the time. */
		synchronized boolean await(long nanos) throws InterruptedException {
			long deadline = System.nanoTime() + nanos;
			while (this.tickets == 0) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			this.tickets--;
			return true;
		}

	}

}
