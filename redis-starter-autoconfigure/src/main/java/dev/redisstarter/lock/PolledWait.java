package dev.redisstarter.lock;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How a waiter for a read/write lock or a semaphore waits between tries: these publish no release notices, so a
 * waiter polls, with a pause that doubles from 1 ms up to the lock's poll interval, cut short by a release in this
 * instance (any name: a spurious wake-up costs one try) and by the holder's lease end when the script told it. A
 * release in another instance is seen at the next try.
 */
final class PolledWait {

	private final ExponentialBackOff backOff;

	private final Object monitor = new Object();

	/** Releases in this instance so far; guarded by {@link #monitor}. */
	private long releases;

	/**
	 * A wait.
	 * @param maxPause the longest pause between two tries
	 */
	PolledWait(Duration maxPause) {
		this.backOff = new ExponentialBackOff(1, 2.0);
		this.backOff.setMaxInterval(Math.max(1, maxPause.toMillis()));
	}

	/** One waiter's pauses, from the shortest. */
	BackOffExecution start() {
		return this.backOff.start();
	}

	/** How many releases this instance has seen: pass to {@link #pause} to wake on the next one. */
	long releases() {
		synchronized (this.monitor) {
			return this.releases;
		}
	}

	/** A hold or permits were given back in this instance: wake its waiters to try again. */
	void released() {
		synchronized (this.monitor) {
			this.releases++;
			this.monitor.notifyAll();
		}
	}

	/**
	 * Pauses for up to {@code nanos}, or until a release in this instance after {@code seen}.
	 * @param seen what {@link #releases()} said before the last try
	 * @param nanos the longest pause
	 * @throws InterruptedException when interrupted
	 */
	void pause(long seen, long nanos) throws InterruptedException {
		long end = System.nanoTime() + nanos;
		synchronized (this.monitor) {
			long left = nanos;
			while (this.releases == seen && left > 0) {
				TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
				left = end - System.nanoTime();
			}
		}
	}

	/**
	 * The next pause: the back-off's, shortened to when the blocking lease ends and to what is left of the wait.
	 * @param pauses the waiter's back-off
	 * @param blockedMillis how long the holder that blocks the waiter still holds at most, or negative when unknown
	 * @param leftNanos what is left of the wait
	 * @return the pause, in nanoseconds
	 */
	static long next(BackOffExecution pauses, long blockedMillis, long leftNanos) {
		long pause = TimeUnit.MILLISECONDS.toNanos(Math.max(1, pauses.nextBackOff()));
		if (blockedMillis >= 0) {
			pause = Math.min(pause, TimeUnit.MILLISECONDS.toNanos(Math.max(1, blockedMillis)));
		}
		return Math.min(pause, leftNanos);
	}

}
