package dev.redisstarter.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A counting semaphore shared by every application instance: at most {@code limit} permits of a name are held at
 * once, each permit a lease that ends by itself if its holder dies (no renewal, no release), so a crashed holder never
 * leaks permits for longer than its lease.
 *
 * <p>The limit is given by each caller (or is the default, {@code redis.starter.lock.default-permits}); callers of one
 * name should agree on it: each acquisition is checked against its own caller's limit. Not fair: a waiter for many
 * permits can wait while waiters for fewer take them. There is no re-entry: every acquisition takes permits of its
 * own. Like locks, the guarantee is best effort: a lease can end while its holder still works.
 */
public interface DistributedSemaphore {

	/**
	 * Waits up to {@code wait} for one permit of the default limit, with the default lease renewed while held.
	 * @param name the semaphore's name
	 * @param wait how long to wait; zero to try once
	 * @return the lease, or empty when no permit was free in time
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	Optional<PermitLease> tryAcquire(String name, Duration wait);

	/**
	 * Waits up to {@code wait} for {@code permits} of {@code limit} permits, with the default lease renewed while
	 * held.
	 * @param name the semaphore's name
	 * @param limit how many permits the semaphore has (at least 1)
	 * @param permits how many to take (1 to {@code limit})
	 * @param wait how long to wait; zero to try once
	 * @return the lease, or empty when too few permits were free in time
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	Optional<PermitLease> tryAcquire(String name, int limit, int permits, Duration wait);

	/**
	 * Waits up to {@code wait} for {@code permits} of {@code limit} permits, held for a fixed lease without renewal.
	 * @param name the semaphore's name
	 * @param limit how many permits the semaphore has (at least 1)
	 * @param permits how many to take (1 to {@code limit})
	 * @param wait how long to wait; zero to try once
	 * @param lease how long the permits are held at most
	 * @return the lease, or empty when too few permits were free in time
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	Optional<PermitLease> tryAcquire(String name, int limit, int permits, Duration wait, Duration lease);

	/**
	 * How many permits are free now (those of ended leases count as free).
	 * @param name the semaphore's name
	 * @param limit how many permits the semaphore has
	 * @return the free permits, never negative
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	int available(String name, int limit);

	/**
	 * Runs work holding one permit of the default limit (default lease, renewed).
	 * @param <T> the work's result
	 * @param name the semaphore's name
	 * @param wait how long to wait
	 * @param work the work
	 * @return the work's result
	 * @throws PermitsNotAcquiredException when no permit was free within {@code wait}
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	<T> T withPermit(String name, Duration wait, Supplier<T> work);

}
