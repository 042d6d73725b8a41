package dev.redisstarter.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A read/write lock shared by every application instance: many readers or one writer, each holder a lease that ends
 * by itself if its holder dies.
 *
 * <ul>
 * <li><b>Writer preference</b>: a writer that waits stops new readers from entering (for as long as it waits), so
 * that a steady stream of readers cannot starve writers; readers already inside finish, then the writer enters.
 * Readers wait while a writer holds or waits.</li>
 * <li><b>Re-entry</b> (per thread and name): a thread that holds the write lock and asks for it again, or asks for
 * the read lock, gets a nested hold covered by its write lease; a thread that holds a read lock and asks for it again
 * gets a nested hold of its read lease. Nested holds take no round trip, and only the outermost lease releases.
 * A read hold is <b>not upgradable</b>: a thread that holds a read lock and asks for the write lock gets an
 * {@link IllegalStateException} (waiting would deadlock against itself); release the read lock first.</li>
 * <li><b>Fencing</b>: each write lease has a {@linkplain LockLease#fencingToken() fencing token} that strictly
 * increases with every write acquisition of the lock, as {@link DistributedLock}'s does. A read lease's
 * {@code fencingToken()} is the token of the last write lease issued before it (0 if none): the version the reader
 * reads, not a token of its own.</li>
 * </ul>
 * Mutual exclusion is best effort, as for {@link DistributedLock}: a lease can end while its holder still works.
 */
public interface DistributedReadWriteLock {

	/**
	 * Waits up to {@code wait} for a read lease with the default lease, renewed while the lease is open.
	 * @param name the lock's name
	 * @param wait how long to wait; zero to try once
	 * @return the lease, or empty when a writer held or waited for the lock for the whole wait
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	Optional<LockLease> tryReadLock(String name, Duration wait);

	/**
	 * Waits up to {@code wait} for a read lease held for a fixed lease, without renewal.
	 * @param name the lock's name
	 * @param wait how long to wait; zero to try once
	 * @param lease how long the read lease lasts at most
	 * @return the lease, or empty when not acquired in time
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	Optional<LockLease> tryReadLock(String name, Duration wait, Duration lease);

	/**
	 * Waits up to {@code wait} for the write lease with the default lease, renewed while the lease is open.
	 * @param name the lock's name
	 * @param wait how long to wait; zero to try once (and not stop readers)
	 * @return the lease, or empty when readers or a writer held the lock for the whole wait
	 * @throws LockUnavailableException when Redis cannot be reached
	 * @throws IllegalStateException when this thread holds a read lease of the lock (no upgrade)
	 */
	Optional<LockLease> tryWriteLock(String name, Duration wait);

	/**
	 * Waits up to {@code wait} for the write lease held for a fixed lease, without renewal.
	 * @param name the lock's name
	 * @param wait how long to wait; zero to try once
	 * @param lease how long the write lease lasts at most
	 * @return the lease, or empty when not acquired in time
	 * @throws LockUnavailableException when Redis cannot be reached
	 * @throws IllegalStateException when this thread holds a read lease of the lock (no upgrade)
	 */
	Optional<LockLease> tryWriteLock(String name, Duration wait, Duration lease);

	/**
	 * Runs work under a read lease (default lease, renewed).
	 * @param <T> the work's result
	 * @param name the lock's name
	 * @param wait how long to wait
	 * @param work the work
	 * @return the work's result
	 * @throws LockNotAcquiredException when not acquired within {@code wait}
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	default <T> T withReadLock(String name, Duration wait, Supplier<T> work) {
		try (LockLease lease = tryReadLock(name, wait).orElseThrow(() -> new LockNotAcquiredException(name, wait))) {
			return work.get();
		}
	}

	/**
	 * Runs work under the write lease (default lease, renewed).
	 * @param <T> the work's result
	 * @param name the lock's name
	 * @param wait how long to wait
	 * @param work the work
	 * @return the work's result
	 * @throws LockNotAcquiredException when not acquired within {@code wait}
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	default <T> T withWriteLock(String name, Duration wait, Supplier<T> work) {
		try (LockLease lease = tryWriteLock(name, wait).orElseThrow(() -> new LockNotAcquiredException(name, wait))) {
			return work.get();
		}
	}

}
