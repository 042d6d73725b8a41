package dev.redisstarter.core;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.dao.QueryTimeoutException;

/**
 * A bound on calls sent without waiting that still wait for Redis's reply, so that a producer is held back when it
 * outruns Redis: a call beyond it waits for a slot, at most its deadline. A slot is given back when its call is
 * answered or its deadline passes; a call given up at its deadline may still sit in the client's queue, so while Redis
 * does not answer at all it is the circuit, opening after repeated expiries, that stops further calls.
 */
public final class InFlightLimit {

	private final Semaphore slots;

	private final int max;

	private final String property;

	/**
	 * A limit.
	 * @param max how many calls may wait for replies at once, at least 1
	 * @param property the property that sets it, named when a call finds no slot
	 */
	public InFlightLimit(int max, String property) {
		if (max < 1) {
			throw new IllegalArgumentException(property + " must be at least 1, was " + max);
		}
		this.slots = new Semaphore(max);
		this.max = max;
		this.property = property;
	}

	/**
	 * Takes a slot, waiting at most {@code wait} for one.
	 * @param wait how long to wait
	 * @throws QueryTimeoutException when no slot came free in time
	 * @throws InterruptedException when interrupted while waiting
	 */
	public void enter(Duration wait) throws InterruptedException {
		if (!this.slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
			throw new QueryTimeoutException("All " + this.max + " calls sent without waiting still waited for Redis"
					+ " after " + wait.toMillis() + " ms (" + this.property + ")");
		}
	}

	/** Gives a slot back: its call's reply came, or it failed. */
	public void leave() {
		this.slots.release();
	}

	/**
	 * How many slots are free now.
	 * @return free slots
	 */
	public int available() {
		return this.slots.availablePermits();
	}

}
