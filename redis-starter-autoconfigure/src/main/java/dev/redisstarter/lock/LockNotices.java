package dev.redisstarter.lock;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

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
 * woken waiter always tries again, and its own release passes the turn on. A release by this instance wakes its
 * waiter here directly ({@link #releasedHere}), and the notice's echo is then not counted again.
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

	/**
	 * A lock released by this instance: wakes a waiter here at once instead of when the notice comes back through
	 * Redis, and, when a notice went out, lets that echo pass without a second wake-up.
	 * @param name the lock's name
	 * @param noticeSent whether the release published a notice (which this subscription will receive)
	 * @param sentAt {@link System#nanoTime()} before the release was sent: its echo may come back before its reply
	 */
	void releasedHere(String name, boolean noticeSent, long sentAt) {
		Signal signal = this.signals.get(name);
		if (signal != null) {
			signal.fireHere(noticeSent, sentAt);
		}
	}

	/** Whether this instance's waiter for a lock has offered to take it over (for tests). */
	boolean hasOffer(String name) {
		Signal signal = this.signals.get(name);
		return signal != null && signal.hasOffer();
	}

	/**
	 * Takes the offer of this instance's waiter for a lock, if it made one, so that a release here can hand the lock
	 * straight to it ({@code handoff.lua}); the caller must {@link Offer#complete complete} it.
	 * @param name the lock's name
	 * @return the offer, or {@code null}
	 */
	@Nullable Offer claimOffer(String name) {
		Signal signal = this.signals.get(name);
		return (signal != null) ? signal.claim() : null;
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

		/** How long a release's echo is waited for: past it, the echo was lost (a subscription gone meanwhile). */
		private static final long ECHO_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

		private long tickets;

		/** Notices of this instance's own releases still to come back, already turned into tickets. */
		private int echoes;

		private long lastEchoExpected;

		/** When the last notice that gave a ticket came, while no release here has claimed it as its echo. */
		private long unclaimedNoticeAt;

		private boolean unclaimedNotice;

		int waiters;

		private @Nullable Offer offer;

		/** A notice from Redis: a ticket, unless it is the echo of a release here that already gave one. */
		synchronized void fire() {
			if (this.echoes > 0 && System.nanoTime() - this.lastEchoExpected < ECHO_WINDOW_NANOS) {
				this.echoes--;
				return;
			}
			this.echoes = 0;
			this.unclaimedNoticeAt = System.nanoTime();
			this.unclaimedNotice = true;
			this.tickets++;
			notify();
		}

		/**
		 * A release here: a ticket, and its echo expected when it published a notice; unless that echo already came
		 * (read by the subscription before the releasing thread read the reply): a notice that came after the release
		 * was sent, while this instance held the lock, is taken for it. Taking another instance's notice for it (one
		 * delivered late) costs nothing: each notice and each release still gives at most one ticket.
		 */
		synchronized void fireHere(boolean echoExpected, long sentAt) {
			if (echoExpected && this.unclaimedNotice && this.unclaimedNoticeAt - sentAt >= 0) {
				this.unclaimedNotice = false;
				return;
			}
			if (echoExpected) {
				this.echoes++;
				this.lastEchoExpected = System.nanoTime();
			}
			this.tickets++;
			notify();
		}

		/**
		 * A waiter counted in Redis offers to take the lock over from a release in this instance.
		 * @param owner the waiter's owner id
		 * @param leaseMillis the lease it asks for
		 * @return the offer, to {@link #withdraw} after waiting
		 */
		synchronized Offer offer(String owner, long leaseMillis) {
			this.offer = new Offer(this, owner, leaseMillis);
			return this.offer;
		}

		private synchronized boolean hasOffer() {
			return this.offer != null;
		}

		private synchronized @Nullable Offer claim() {
			Offer claimed = this.offer;
			if (claimed != null) {
				this.offer = null;
				claimed.claimed = true;
			}
			return claimed;
		}

		/**
		 * Takes an offer back. One a release has claimed is waited for until that release completes it (one script
		 * call, bounded by the lock's deadline), without giving up on an interrupt: a lock handed over must not be
		 * left unowned.
		 * @param offered the offer
		 * @return the fencing token of the lock handed over, or 0 when it was not
		 */
		synchronized long withdraw(Offer offered) {
			if (this.offer == offered) {
				this.offer = null;
			}
			boolean interrupted = false;
			while (offered.claimed && !offered.done) {
				try {
					wait();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
			return offered.token;
		}

		private synchronized void complete(Offer completed, long token, boolean tryAgain,
				@Nullable DataAccessException failure) {
			completed.done = true;
			completed.token = token;
			completed.failure = failure;
			if (token > 0 || tryAgain || failure != null) {
				this.tickets++;
			}
			notifyAll();
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

	/** A waiter's offer to take a lock over from a release in this instance, claimed at most once. */
	static final class Offer {

		private final Signal signal;

		private final String owner;

		private final long leaseMillis;

		/** Guarded by the signal. */
		private boolean claimed;

		private boolean done;

		private long token;

		private @Nullable DataAccessException failure;

		private Offer(Signal signal, String owner, long leaseMillis) {
			this.signal = signal;
			this.owner = owner;
			this.leaseMillis = leaseMillis;
		}

		String owner() {
			return this.owner;
		}

		long leaseMillis() {
			return this.leaseMillis;
		}

		/**
		 * Tells the waiter what became of its offer.
		 * @param fencingToken the token of the lock it now holds, or 0 when it was not handed over
		 * @param tryAgain whether the waiter should try the lock at once (a release that went wrong here) rather than
		 * wait for the notice or its poll
		 * @param failure the hand-off's failure (it may have taken effect): the waiter gives up with it
		 */
		void complete(long fencingToken, boolean tryAgain, @Nullable DataAccessException failure) {
			this.signal.complete(this, fencingToken, tryAgain, failure);
		}

		/** What the hand-off failed with, once withdrawn; {@code null} when it did not fail. */
		@Nullable DataAccessException failure() {
			synchronized (this.signal) {
				return this.failure;
			}
		}

	}

}
