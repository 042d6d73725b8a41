package dev.redisstarter.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps leases alive: what a lock, a job or a stream entry holds in Redis expires unless its holder renews it in
 * time, and every holder renews the same way. A renewal runs on a schedule (for a lease, every third of it, so that
 * two renewals in a row may fail before it ends), survives a failed attempt (Redis slow or away: the next one tries
 * again while the lease lasts; a scheduled task that threw would never run again), stops when the holder says the
 * lease is gone, and stops after an optional bound on renewal (a holder that never lets go).
 */
public final class LeaseKeeper implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	/** One lease (or set of leases) being renewed. */
	public interface Renewal {

		/** Stops renewing; the lease then ends by itself unless released. */
		void stop();

		/**
		 * Whether it is still renewed.
		 * @return false once stopped, gone or over its bound
		 */
		boolean isActive();

	}

	/** One renewal attempt. */
	@FunctionalInterface
	public interface Attempt {

		/**
		 * Renews.
		 * @return false when there is nothing left to renew (released, or lost: stop)
		 */
		boolean renew();

	}

	private final ScheduledExecutorService scheduler;

	private final boolean owned;

	/**
	 * A keeper with a thread of its own, stopped by {@link #close()}.
	 * @param threadName the thread's name, after the starter's prefix
	 */
	public LeaseKeeper(String threadName) {
		this(StarterThreads.backgroundScheduler(threadName), true);
	}

	/**
	 * A keeper on a scheduler its holder already runs (and stops).
	 * @param scheduler the scheduler
	 * @return the keeper; closing it stops nothing
	 */
	public static LeaseKeeper on(ScheduledExecutorService scheduler) {
		return new LeaseKeeper(scheduler, false);
	}

	private LeaseKeeper(ScheduledExecutorService scheduler, boolean owned) {
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
		this.owned = owned;
	}

	/**
	 * How often a lease is renewed: every third of it, at least every millisecond.
	 * @param lease the lease
	 * @return the period
	 */
	public static Duration periodFor(Duration lease) {
		return Duration.ofMillis(Math.max(1, lease.toMillis() / 3));
	}

	/**
	 * Renews on a schedule until the attempt says the lease is gone or the renewal is stopped.
	 * @param what what is renewed, for the log ("lock 'or…' (9 chars)", "held jobs of queue 'emails'")
	 * @param period the time between attempts
	 * @param attempt one attempt
	 * @return the renewal
	 */
	public Renewal keep(String what, Duration period, Attempt attempt) {
		return keep(what, period, null, attempt, () -> {
		});
	}

	/**
	 * Renews on a schedule until the attempt says the lease is gone, the renewal is stopped, or {@code maxRenewal}
	 * has passed since this call.
	 * @param what what is renewed, for the log
	 * @param period the time between attempts
	 * @param maxRenewal the longest it is renewed, or {@code null} for no bound
	 * @param attempt one attempt
	 * @param overBound runs once when the bound ends the renewal
	 * @return the renewal
	 */
	public Renewal keep(String what, Duration period, @Nullable Duration maxRenewal, Attempt attempt, Runnable overBound) {
		long periodMillis = Durations.requirePositive("period", period).toMillis();
		long started = System.nanoTime();
		Scheduled renewal = new Scheduled();
		renewal.future = this.scheduler.scheduleAtFixedRate(() -> {
			if (!renewal.active.get()) {
				// Stopped before its future was known: cancel it now.
				renewal.stop();
				return;
			}
			if (maxRenewal != null && System.nanoTime() - started > maxRenewal.toNanos()) {
				renewal.stop();
				overBound.run();
				return;
			}
			try {
				if (!attempt.renew()) {
					renewal.stop();
				}
			}
			catch (RuntimeException ex) {
				// Redis slow or away: the next attempt tries again while the lease lasts.
				logger.debug("Could not renew " + what + "; trying again in " + periodMillis + " ms: " + ex);
			}
		}, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
		return renewal;
	}

	/** Stops every renewal, and the keeper's thread when it has one of its own. */
	@Override
	public void close() {
		if (this.owned) {
			this.scheduler.shutdownNow();
		}
	}

	private static final class Scheduled implements Renewal {

		private final AtomicBoolean active = new AtomicBoolean(true);

		private volatile @Nullable ScheduledFuture<?> future;

		@Override
		public void stop() {
			this.active.set(false);
			ScheduledFuture<?> scheduled = this.future;
			if (scheduled != null) {
				scheduled.cancel(false);
			}
		}

		@Override
		public boolean isActive() {
			return this.active.get();
		}

	}

}
