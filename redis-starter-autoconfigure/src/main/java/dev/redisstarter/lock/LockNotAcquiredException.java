package dev.redisstarter.lock;

import java.time.Duration;

import dev.redisstarter.core.Masking;

/**
 * A lock was held by another owner for the whole wait. The message names the lock masked ({@link Masking}: it is
 * often built from a request); {@link #getLockName()} has it whole.
 */
public class LockNotAcquiredException extends RuntimeException {

	private final String lockName;

	/**
	 * A timeout.
	 * @param lockName the lock
	 * @param wait how long was waited
	 */
	public LockNotAcquiredException(String lockName, Duration wait) {
		super("Lock " + Masking.mask(lockName) + " was not acquired within " + wait);
		this.lockName = lockName;
	}

	/**
	 * A timeout with a message of its own (a semaphore's).
	 * @param lockName the lock or semaphore
	 * @param message the message, with the name masked
	 */
	protected LockNotAcquiredException(String lockName, String message) {
		super(message);
		this.lockName = lockName;
	}

	/**
	 * The lock's name.
	 * @return the name
	 */
	public String getLockName() {
		return this.lockName;
	}

}
