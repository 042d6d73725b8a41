package dev.redisstarter.lock;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * One lock's waiters in this instance and its release notices. The waiters stand in a line in arrival order: only
 * the first waits in Redis (tries the lock, is counted among its waiters, takes the tickets notices give); the
 * others wait here behind it, each on a condition of its own, so that a turn passed on wakes one thread. Every
 * waiter offers, from the moment it joins, to take the lock over from a release here; a release claims the first
 * waiter's offer only, whether or not that waiter has tried the lock yet, so the lock goes round this instance's
 * waiters in order in one script per hand-off. {@code waiters} is guarded by {@link LockNotices}' map's compute.
 */
final class LockLine {

	/** How long a release's echo is waited for: past it, the echo was lost (a subscription gone meanwhile). */
	private static final long ECHO_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final ReentrantLock lock = new ReentrantLock();

	/** Signalled for a ticket: only the first waiter of the line takes tickets. */
	private final Condition ticketed = this.lock.newCondition();

	/** This instance's waiters in arrival order; the first waits in Redis. */
	private final ArrayDeque<Offer> line = new ArrayDeque<>();

	private long tickets;

	/** Notices of this instance's own releases still to come back, already turned into tickets. */
	private int echoes;

	private long lastEchoExpected;

	/** When the last notice that gave a ticket came, while no release here has claimed it as its echo. */
	private long unclaimedNoticeAt;

	private boolean unclaimedNotice;

	int waiters;

	/** A notice from Redis: a ticket, unless it is the echo of a release here that already gave one. */
	void fire() {
		this.lock.lock();
		try {
			if (this.echoes > 0 && System.nanoTime() - this.lastEchoExpected < ECHO_WINDOW_NANOS) {
				this.echoes--;
				return;
			}
			this.echoes = 0;
			this.unclaimedNoticeAt = System.nanoTime();
			this.unclaimedNotice = true;
			this.tickets++;
			this.ticketed.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A release here: a ticket, and its echo expected when it published a notice; unless that echo already came
	 * (read by the subscription before the releasing thread read the reply): a notice that came after the release
	 * was sent, while this instance held the lock, is taken for it. Taking another instance's notice for it (one
	 * delivered late) costs nothing: each notice and each release still gives at most one ticket.
	 */
	void fireHere(boolean echoExpected, long sentAt) {
		this.lock.lock();
		try {
			if (echoExpected && this.unclaimedNotice && this.unclaimedNoticeAt - sentAt >= 0) {
				this.unclaimedNotice = false;
				return;
			}
			if (echoExpected) {
				this.echoes++;
				this.lastEchoExpected = System.nanoTime();
			}
			this.tickets++;
			this.ticketed.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A waiter joins the end of the line, offering to take the lock over from a release here once it is first.
	 * @param owner the waiter's owner id
	 * @param leaseMillis the lease it asks for
	 * @return its place and offer, to {@link #leave} in any case
	 */
	Offer join(String owner, long leaseMillis) {
		this.lock.lock();
		try {
			Offer offer = new Offer(this, owner, leaseMillis, this.lock.newCondition());
			this.line.addLast(offer);
			return offer;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until a waiter is first in the line (its turn to wait in Redis) or its offer is claimed.
	 * @return whether that came within the time
	 */
	boolean awaitTurn(Offer offer, long nanos) throws InterruptedException {
		if (Thread.interrupted()) {
			// As Semaphore.tryAcquire(timeout) does: an interrupted caller gives up without taking its turn.
			throw new InterruptedException();
		}
		this.lock.lock();
		try {
			long left = nanos;
			while (this.line.peekFirst() != offer && !offer.claimed) {
				if (left <= 0) {
					return false;
				}
				left = offer.changed.awaitNanos(left);
			}
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The first waiter's try answered that it is now counted among the lock's waiters in Redis. */
	void counted(Offer offer) {
		this.lock.lock();
		try {
			offer.counted = true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether the first waiter, counted in Redis, offers to take the lock over (for tests). */
	boolean hasOffer() {
		this.lock.lock();
		try {
			Offer first = this.line.peekFirst();
			return first != null && first.counted && !first.claimed && !first.leaving;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** How many waiters stand behind the first. */
	int queued() {
		this.lock.lock();
		try {
			return Math.max(0, this.line.size() - 1);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Nullable Offer claim() {
		this.lock.lock();
		try {
			Offer first = this.line.peekFirst();
			if (first == null || first.claimed || first.leaving) {
				return null;
			}
			first.claimed = true;
			first.claimedCounted = first.counted;
			return first;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Settles a waiter's offer before it tries the lock itself: one a release has claimed is waited for until that
	 * release completes it (one script call, bounded by the lock's deadline), without giving up on an interrupt (a
	 * lock handed over must not be left unowned); one that was not handed over can be claimed again.
	 * @return the fencing token of the lock handed over, or 0 when it was not (see {@link Offer#failure()})
	 */
	long settle(Offer offer) {
		this.lock.lock();
		try {
			awaitCompletion(offer);
			if (offer.done && offer.token == 0 && offer.failure == null) {
				offer.claimed = false;
				offer.done = false;
			}
			if (offer.token > 0) {
				offer.collected = true;
			}
			return offer.token;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Takes a waiter out of the line, after a hand-off to it under way has completed, and wakes the next waiter
	 * when it was first. Leaving again does nothing.
	 * @return the fencing token of a lock handed to it that it has not {@link #settle settled} yet, else 0
	 */
	long leave(Offer offer) {
		this.lock.lock();
		try {
			offer.leaving = true;
			awaitCompletion(offer);
			boolean first = this.line.peekFirst() == offer;
			if (this.line.remove(offer) && first) {
				Offer next = this.line.peekFirst();
				if (next != null) {
					next.changed.signal();
				}
			}
			if (offer.token > 0 && !offer.collected) {
				offer.collected = true;
				return offer.token;
			}
			return 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void awaitCompletion(Offer offer) {
		boolean interrupted = false;
		while (offer.claimed && !offer.done) {
			try {
				offer.changed.await();
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private void complete(Offer completed, long token, boolean tryAgain, @Nullable DataAccessException failure) {
		this.lock.lock();
		try {
			completed.done = true;
			completed.token = token;
			completed.failure = failure;
			if (tryAgain && token == 0 && failure == null) {
				// Only a waiter left without the lock tries again: a ticket beside a hand-off would be left over,
				// and make the next waiter try at once instead of waiting for its own hand-off.
				this.tickets++;
			}
			// The waiter waits for its completion, or, first in the line and napping, for a ticket.
			completed.changed.signal();
			this.ticketed.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Waits for a ticket and takes it; returns whether one came within the time. */
	boolean await(long nanos) throws InterruptedException {
		return await(null, nanos);
	}

	/**
	 * The first waiter's wait in Redis: for a ticket, which it takes, or for a hand-off to it to be completed with
	 * the lock or a failure. A release here that went to every instance instead does not wake it: it waits for the
	 * notice, as every other instance's waiter does.
	 * @return whether either came within the time
	 */
	boolean await(@Nullable Offer offer, long nanos) throws InterruptedException {
		this.lock.lock();
		try {
			long left = nanos;
			while (this.tickets == 0) {
				if (offer != null && offer.claimed && offer.done && (offer.token > 0 || offer.failure != null)) {
					return true;
				}
				if (left <= 0) {
					return false;
				}
				left = this.ticketed.awaitNanos(left);
			}
			this.tickets--;
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}


	/**
	 * A waiter's place in its lock's line here, and its offer to take the lock over from a release in this instance,
	 * claimed by at most one release at a time; all state guarded by the line's lock.
	 */
	static final class Offer {

		private final LockLine signal;

		private final String owner;

		private final long leaseMillis;

		/** Signalled when this waiter becomes first, and when its claimed offer is completed. */
		private final Condition changed;

		private boolean counted;

		private boolean claimed;

		private boolean claimedCounted;

		private boolean done;

		private boolean leaving;

		private boolean collected;

		private long token;

		private @Nullable DataAccessException failure;

		private Offer(LockLine signal, String owner, long leaseMillis, Condition changed) {
			this.signal = signal;
			this.owner = owner;
			this.leaseMillis = leaseMillis;
			this.changed = changed;
		}

		String owner() {
			return this.owner;
		}

		long leaseMillis() {
			return this.leaseMillis;
		}

		/** Whether the waiter was counted among the lock's waiters in Redis when its offer was claimed. */
		boolean claimedCounted() {
			this.signal.lock.lock();
			try {
				return this.claimedCounted;
			}
			finally {
				this.signal.lock.unlock();
			}
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

		/** What the hand-off failed with, once settled; {@code null} when it did not fail. */
		@Nullable DataAccessException failure() {
			this.signal.lock.lock();
			try {
				return this.failure;
			}
			finally {
				this.signal.lock.unlock();
			}
		}

	}

}
