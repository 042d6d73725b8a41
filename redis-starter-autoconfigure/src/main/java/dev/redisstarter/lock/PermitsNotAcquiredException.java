package dev.redisstarter.lock;

import java.time.Duration;

import dev.redisstarter.core.Masking;

/**
 * A semaphore had too few free permits for the whole wait. A {@link LockNotAcquiredException}, so that web
 * applications answer it as they answer a busy lock (409 with {@code Retry-After}).
 */
public class PermitsNotAcquiredException extends LockNotAcquiredException {

	/**
	 * A timeout.
	 * @param name the semaphore
	 * @param permits how many permits were asked for
	 * @param limit how many the semaphore has
	 * @param wait how long was waited
	 */
	public PermitsNotAcquiredException(String name, int permits, int limit, Duration wait) {
		super(name, permits + " of the " + limit + " permits of semaphore " + Masking.mask(name)
				+ " were not acquired within " + wait);
	}

}
