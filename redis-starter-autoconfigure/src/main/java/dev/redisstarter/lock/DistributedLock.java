package dev.redisstarter.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A lock shared by every application instance, released only by its owner, with a fencing token per
 * acquisition.
 *
 * <p>What it does not guarantee: a lease can end while its holder still works (a long GC pause, a network
 * partition, a lease shorter than the work), and then another owner may enter. Mutual exclusion is therefore
 * best effort; safety for the data the lock protects comes from the {@linkplain LockLease#fencingToken()
 * fencing token}: pass it with every write, and let the store refuse a write whose token is lower than one
 * it has already seen. On a single Redis or a Cluster (one master per lock), a failover can also lose a lock
 * that was not yet replicated.
 */
public interface DistributedLock {

	/**
	 * Waits up to {@code wait} for the lock, and holds it with the default lease, renewed while the lease is
	 * open (a watchdog renews it every third of its length) so that long work does not lose it, and ended
	 * within one lease if this JVM dies.
	 * @param name the lock's name
	 * @param wait how long to wait; zero to try once
	 * @return the lease, or empty when the lock was not acquired in time
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	Optional<LockLease> tryAcquire(String name, Duration wait);

	/**
	 * Waits up to {@code wait} for the lock, and holds it for a fixed lease, without renewal.
	 * @param name the lock's name
	 * @param wait how long to wait; zero to try once
	 * @param lease how long the lock is held at most
	 * @return the lease, or empty when the lock was not acquired in time
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	Optional<LockLease> tryAcquire(String name, Duration wait, Duration lease);

	/**
	 * Runs work under the lock (default lease, renewed).
	 * @param <T> the work's result
	 * @param name the lock's name
	 * @param wait how long to wait for the lock
	 * @param work the work
	 * @return the work's result
	 * @throws LockNotAcquiredException when the lock was not acquired within {@code wait}
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	default <T> T withLock(String name, Duration wait, Supplier<T> work) {
		try (LockLease lease = tryAcquire(name, wait).orElseThrow(() -> new LockNotAcquiredException(name, wait))) {
			return work.get();
		}
	}

	/**
	 * Runs work under the lock (default lease, renewed).
	 * @param name the lock's name
	 * @param wait how long to wait for the lock
	 * @param work the work
	 * @throws LockNotAcquiredException when the lock was not acquired within {@code wait}
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	default void withLock(String name, Duration wait, Runnable work) {
		withLock(name, wait, () -> {
			work.run();
			return null;
		});
	}

}
