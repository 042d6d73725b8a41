package dev.redisstarter.lock;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How a waiter for a read/write lock or a semaphore waits between tries: these publish no release notices, so a
 * waiter polls, with a pause that doubles from 1 ms up to the lock's poll interval, cut short by a release of the same
 * name in this instance and by the holder's lease end when the script told it. A release in another instance is seen
 * at the next try. Names share one of {@value #STRIPES} monitors by hash, so a release wakes the waiters of its own
 * name and of few others (a spurious wake-up costs one try).
 */
final class PolledWait {

	private static final int STRIPES = 64;

	private final ExponentialBackOff backOff;

	private final Stripe[] stripes = new Stripe[STRIPES];

	/**
	 * A wait.
	 * @param maxPause the longest pause between two tries
	 */
	PolledWait(Duration maxPause) {
		this.backOff = new ExponentialBackOff(1, 2.0);
		this.backOff.setMaxInterval(Math.max(1, maxPause.toMillis()));
		for (int i = 0; i < STRIPES; i++) {
			this.stripes[i] = new Stripe();
		}
	}

	/** One waiter's pauses, from the shortest. */
	BackOffExecution start() {
		return this.backOff.start();
	}

	/** How many releases of names like this one this instance has seen: pass to {@link #pause} to wake on the next. */
	long releases(String name) {
		Stripe stripe = stripe(name);
		synchronized (stripe) {
			return stripe.releases;
		}
	}

	/** A hold or permits of a name were given back in this instance: wake its waiters to try again. */
	void released(String name) {
		Stripe stripe = stripe(name);
		synchronized (stripe) {
			stripe.releases++;
			stripe.notifyAll();
		}
	}

	/**
	 * Pauses for up to {@code nanos}, or until a release of a name like this one in this instance after {@code seen}.
	 * @param name the name waited for
	 * @param seen what {@link #releases} said before the last try
	 * @param nanos the longest pause
	 * @throws InterruptedException when interrupted
	 */
	void pause(String name, long seen, long nanos) throws InterruptedException {
		Stripe stripe = stripe(name);
		long end = System.nanoTime() + nanos;
		synchronized (stripe) {
			long left = nanos;
			while (stripe.releases == seen && left > 0) {
				TimeUnit.NANOSECONDS.timedWait(stripe, left);
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

	private Stripe stripe(String name) {
		return this.stripes[Math.floorMod(name.hashCode(), STRIPES)];
	}

	/** A monitor and its count of releases; guarded by itself. */
	private static final class Stripe {

		private long releases;

	}

}
