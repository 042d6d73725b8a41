package dev.redisstarter.lock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Acquisitions whose caller gave up before Redis answered (the lock deadline passed). Redis may still have
 * run them, and then the lock is held by nobody: each is released (owner-checked) as soon as its late reply says
 * it was taken, or, when no reply can come any more (the connection was replaced), once Redis answers again.
 * An entry is forgotten when its reply says the lock was not taken, when the release went through, or when its
 * lease has ended anyway. Bounded: past {@link #MAX} entries, new ones are not kept (their locks expire with
 * their leases).
 */
final class AbandonedAcquisitions {

	static final int MAX = 10_000;

	/** One acquisition given up on. */
	record Abandoned(String name, byte[] key, byte[] waitersKey, String owner, long leaseEndsNanos) {
	}

	private final Map<String, Abandoned> byOwner = new ConcurrentHashMap<>();

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

	/**
	 * Releases every entry whose lease may still run; {@code release} returns whether Redis was reached.
	 */
	void releaseAll(Predicate<Abandoned> release) {
		long now = System.nanoTime();
		for (Abandoned abandoned : this.byOwner.values()) {
			if (now - abandoned.leaseEndsNanos() > 0 || release.test(abandoned)) {
				this.byOwner.remove(abandoned.owner(), abandoned);
			}
		}
	}

}
