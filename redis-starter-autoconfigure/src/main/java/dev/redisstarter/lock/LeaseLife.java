package dev.redisstarter.lock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.LeaseKeeper;

/**
 * What every lease of this package lives through, whatever it holds (a lock, a read or write lock, permits): renewed
 * by the lease keeper while held, lost when a renewal finds it gone, left to end after renewing too long, and released
 * once. Each lease keeps one and says only what differs: how it extends, what it is called, what to forget.
 */
final class LeaseLife {

	private static final Log logger = LogFactory.getLog(LeaseLife.class);

	private final Holder holder;

	private final LockMetrics metrics;

	private final long acquiredAt = System.nanoTime();

	private final AtomicBoolean released = new AtomicBoolean();

	private volatile LeaseKeeper.@Nullable Renewal renewal;

	/**
	 * @param holder the lease: what it is called and what it forgets (asked only when it is lost or renewed too long)
	 * @param metrics where lost and held leases are counted
	 */
	LeaseLife(Holder holder, LockMetrics metrics) {
		this.holder = holder;
		this.metrics = metrics;
	}

	/** What a lease says of itself, asked only when it is lost or renewed too long (nothing built per acquisition). */
	interface Holder {

		/** What the lease holds, for log lines, starting a sentence ({@code "Lock 'orders'"}). */
		String subject();

		/** Forgets this instance's record of the hold: the lease is lost or no longer renewed. */
		void forgetHold();

	}

	void renewWith(LeaseKeeper.Renewal renewal) {
		this.renewal = renewal;
	}

	boolean isReleased() {
		return this.released.get();
	}

	/**
	 * One renewal by the lease keeper.
	 * @param extend extends the lease in Redis: false when it is no longer held there
	 * @return false once released or lost (renewal stops); a failure to reach Redis is thrown and tried again at the
	 * next period while the lease lasts
	 */
	boolean renew(BooleanSupplier extend) {
		if (this.released.get()) {
			return false;
		}
		if (!extend.getAsBoolean()) {
			this.metrics.leaseLost();
			logger.warn(this.holder.subject() + " was lost while held (it expired before it was renewed)");
			this.holder.forgetHold();
			return false;
		}
		return true;
	}

	/** The lease keeper's bound on renewal ended it: most likely a lease the application forgot to close. */
	void renewedTooLong(Duration maxRenewal) {
		logger.warn(this.holder.subject() + " has been held for more than " + maxRenewal
				+ " (redis.starter.lock.max-renewal) without being closed: it is no longer renewed and ends with its lease");
		this.metrics.leaseLost();
		this.holder.forgetHold();
	}

	/**
	 * Marks the lease released, once: renewal stops and how long it was held is recorded.
	 * @return false when it already was released
	 */
	boolean release() {
		if (!this.released.compareAndSet(false, true)) {
			return false;
		}
		LeaseKeeper.Renewal scheduled = this.renewal;
		if (scheduled != null) {
			scheduled.stop();
		}
		this.metrics.held(System.nanoTime() - this.acquiredAt);
		return true;
	}

	/**
	 * Runs a release in Redis even on an interrupted thread: a thread whose work was cancelled releases all the same
	 * (its interrupt would cancel the script, perhaps before it is sent, leaving the lease held until it ends). The
	 * call is bounded by its deadline; the interrupt flag is kept.
	 * @param releaseInRedis the release: whether it was still held
	 * @return what the release returned
	 */
	static boolean releaseEvenIfInterrupted(BooleanSupplier releaseInRedis) {
		boolean interrupted = Thread.interrupted();
		try {
			return releaseInRedis.getAsBoolean();
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
