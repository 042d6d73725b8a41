package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Interrupts a handler thread that runs past its attempt timeout, and never after the attempt ended: the
 * interrupt and the end of the attempt exclude each other, so that no interrupt leaks into the thread's next job.
 */
final class AttemptTimer {

	private final Thread thread;

	private @Nullable ScheduledFuture<?> alarm;

	private boolean ended;

	private boolean timedOut;

	private AttemptTimer(Thread thread) {
		this.thread = thread;
	}

	/**
	 * Starts the timer for the current thread.
	 * @param timeout the attempt's timeout, or null for none
	 * @param scheduler where the alarm waits
	 * @return the timer
	 */
	static AttemptTimer start(@Nullable Duration timeout, @Nullable ScheduledExecutorService scheduler) {
		AttemptTimer timer = new AttemptTimer(Thread.currentThread());
		if (timeout != null && scheduler != null) {
			try {
				timer.alarm = scheduler.schedule(timer::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// Stopping: no timeout for this last attempt.
			}
		}
		return timer;
	}

	private synchronized void expire() {
		if (!this.ended) {
			this.timedOut = true;
			this.thread.interrupt();
		}
	}

	/**
	 * Ends the attempt: no interrupt comes after this, and one that came is cleared.
	 * @return whether the attempt ran past its timeout
	 */
	synchronized boolean end() {
		this.ended = true;
		if (this.alarm != null) {
			this.alarm.cancel(false);
		}
		if (this.timedOut) {
			Thread.interrupted();
		}
		return this.timedOut;
	}

}
