package dev.redisstarter.lock;

import java.time.Duration;

/**
 * Permits held on a {@link DistributedSemaphore}. Closing it gives them back (only if this holder still holds them).
 */
public interface PermitLease extends AutoCloseable {

	/**
	 * The semaphore's name.
	 * @return the name
	 */
	String name();

	/**
	 * How many permits this lease holds.
	 * @return the count
	 */
	int permits();

	/**
	 * Whether this holder still holds its permits, as Redis says now (one round trip).
	 * @return whether they are held
	 */
	boolean isHeld();

	/**
	 * Sets the lease of its permits to end {@code lease} from now, if this holder still holds them.
	 * @param lease the new lease
	 * @return whether extended; {@code false} when the lease had ended (the permits may be another's now)
	 */
	boolean extend(Duration lease);

	/**
	 * Gives the permits back, only this holder's own.
	 * @return whether they were still held; {@code false} when the lease had ended (nothing of anyone else's is freed)
	 */
	boolean release();

	/** Gives back, as {@link #release()}; never throws. */
	@Override
	void close();

}
