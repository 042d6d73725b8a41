package dev.redisstarter.core.subscription;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When a subscriber looks again, on its loop thread: at once, or a little later, each at most once pending. One
 * queued to run at once is not held back by one scheduled later (a connection that opens while a retry is pending
 * subscribes at once). A loop that was shut down takes nothing more.
 */
final class ReconcileSchedule {

	private final ScheduledExecutorService loop;

	private final Runnable reconcile;

	private final AtomicBoolean soon = new AtomicBoolean();

	private final AtomicBoolean later = new AtomicBoolean();

	ReconcileSchedule(ScheduledExecutorService loop, Runnable reconcile) {
		this.loop = loop;
		this.reconcile = reconcile;
	}

	/** Queues a look at once unless one is queued. */
	void soon() {
		if (this.soon.compareAndSet(false, true)) {
			try {
				this.loop.execute(() -> {
					this.soon.set(false);
					this.reconcile.run();
				});
			}
			catch (RuntimeException ex) {
				// Shut down meanwhile.
				this.soon.set(false);
			}
		}
	}

	/**
	 * Schedules a look after a pause unless one is scheduled.
	 * @param millis the pause
	 */
	void later(long millis) {
		if (this.later.compareAndSet(false, true)) {
			try {
				this.loop.schedule(() -> {
					this.later.set(false);
					this.reconcile.run();
				}, millis, TimeUnit.MILLISECONDS);
			}
			catch (RuntimeException ex) {
				// Shut down meanwhile.
				this.later.set(false);
			}
		}
	}

}
