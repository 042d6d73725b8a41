package dev.redisstarter.lock;

import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisUnavailableException;

/**
 * Redis could not be reached to acquire or release a lock: neither is held nor waited for. A
 * {@link RedisUnavailableException}, like every capability's "Redis unavailable" exception.
 */
public class LockUnavailableException extends RedisUnavailableException {

	/**
	 * A failure.
	 * @param lockName the lock
	 * @param cause what the client reported
	 */
	public LockUnavailableException(String lockName, Throwable cause) {
		super("Lock " + Masking.mask(lockName) + " cannot be used: Redis is unavailable (" + cause.getMessage() + ")", cause);
	}

}
