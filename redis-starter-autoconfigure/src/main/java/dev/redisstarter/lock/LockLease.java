package dev.redisstarter.lock;

import java.time.Duration;

/**
 * A held lock. Closing it releases the lock (only if this owner still holds it).
 */
public interface LockLease extends AutoCloseable {

	/**
	 * The lock's name.
	 * @return the name
	 */
	String name();

	/**
	 * A number that strictly increases with every acquisition of this lock by anyone, also across lock expiry:
	 * pass it with writes, so that a store can refuse a stale holder's write.
	 * @return the fencing token
	 */
	long fencingToken();

	/**
	 * Whether this owner still holds the lock, as Redis says now (one round trip).
	 * @return whether the lock is held by this lease
	 */
	boolean isHeld();

	/**
	 * Sets the lease to end {@code lease} from now, if this owner still holds the lock.
	 * @param lease the new lease
	 * @return whether the lease was extended; {@code false} when the lock was lost
	 */
	boolean extend(Duration lease);

	/**
	 * Releases the lock if this owner still holds it (a reentrant hold only gives back one level).
	 * @return whether this call released the lock in Redis (or gave back a reentrant level); {@code false} when
	 * the lease had already ended
	 */
	boolean release();

	/** Releases, as {@link #release()}; never throws. */
	@Override
	void close();

}
