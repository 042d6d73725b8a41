package dev.redisstarter.lock;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Acquisitions whose caller gave up before Redis answered (the lock deadline passed). Redis may still have
 * run them, and then the lock is held by nobody: each is released (owner-checked) as soon as its late reply says
 * it was taken, or, when no reply can come any more (the connection was replaced), once Redis answers again.
 * An entry is forgotten when its reply says the lock was not taken, when the release went through, or when its
 * lease has ended anyway. Bounded: past {@link #MAX} entries, new ones are not kept (their locks expire with
 * their leases). Releases run in the background: when Redis answers again (a new connection, a closed circuit, an
 * acquisition that went through), and every retry interval while entries are left.
 */
final class AbandonedAcquisitions {

	static final int MAX = 10_000;

	/** One acquisition given up on. */
	record Abandoned(String name, byte[] key, byte[] waitersKey, String owner, long leaseEndsNanos) {
	}

	private final Map<String, Abandoned> byOwner = new ConcurrentHashMap<>();

	private final Executor background;

	private final long retryMillis;

	private final Predicate<Abandoned> release;

	private final AtomicBoolean retryScheduled = new AtomicBoolean();

	private volatile boolean closed;

	/**
	 * @param background where releases run
	 * @param retryEvery how long after a failed round the next one runs while entries are left
	 * @param release releases one (owner-checked): whether Redis was reached, so the entry is done with
	 */
	AbandonedAcquisitions(Executor background, Duration retryEvery, Predicate<Abandoned> release) {
		this.background = background;
		this.retryMillis = retryEvery.toMillis();
		this.release = release;
	}

	/** Keeps an acquisition given up on, until it is released or its lease ends; call {@link #releaseSoon} or {@link #retryLater}. */
	void add(Abandoned abandoned) {
		if (this.byOwner.size() < MAX) {
			this.byOwner.put(abandoned.owner(), abandoned);
		}
	}

	void forget(String owner) {
		this.byOwner.remove(owner);
	}

	boolean isEmpty() {
		return this.byOwner.isEmpty();
	}

	/** Releases every entry now, in the background (Redis answers again), then retries what is left; not once closed. */
	void releaseSoon() {
		if (!this.closed && !this.byOwner.isEmpty()) {
			this.background.execute(() -> {
				releaseAll();
				retryLater();
			});
		}
	}

	/**
	 * Tries again after the retry interval while entries are left: Redis may come back on the same connection
	 * (Lettuce's own reconnect), with no new connection or closing circuit to trigger it, and no acquisition either.
	 * Entries are dropped when their leases end.
	 */
	void retryLater() {
		if (!this.closed && !this.byOwner.isEmpty() && this.retryScheduled.compareAndSet(false, true)) {
			CompletableFuture.delayedExecutor(this.retryMillis, TimeUnit.MILLISECONDS, this.background).execute(() -> {
				this.retryScheduled.set(false);
				releaseSoon();
			});
		}
	}

	/** Stops retrying (the lock is closed); the locks left expire with their leases. */
	void close() {
		this.closed = true;
	}

	/** Releases every entry whose lease may still run. */
	private void releaseAll() {
		long now = System.nanoTime();
		for (Abandoned abandoned : this.byOwner.values()) {
			if (now - abandoned.leaseEndsNanos() > 0 || this.release.test(abandoned)) {
				this.byOwner.remove(abandoned.owner(), abandoned);
			}
		}
	}

}
