package dev.redisstarter.lock;

/** Redis could not be reached to acquire or release a lock: neither is held nor waited for. */
public class LockUnavailableException extends RuntimeException {

	/**
	 * A failure.
	 * @param lockName the lock
	 * @param cause what the client reported
	 */
	public LockUnavailableException(String lockName, Throwable cause) {
		super("Lock '" + lockName + "' cannot be used: Redis is unavailable (" + cause.getMessage() + ")", cause);
	}

}
