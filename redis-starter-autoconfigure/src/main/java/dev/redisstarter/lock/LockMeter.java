package dev.redisstarter.lock;

import dev.redisstarter.core.MeterSpec;
import dev.redisstarter.core.StarterMeter;

import static dev.redisstarter.core.MeterSpec.counter;
import static dev.redisstarter.core.MeterSpec.timer;
import static dev.redisstarter.core.MeterTag.OUTCOME;

/**
 * The locks' meters, without lock names in tags (names are often ids).
 */
public enum LockMeter implements StarterMeter {

	/** Attempts to acquire. */
	ACQUISITIONS(counter("redis.starter.lock.acquisitions", "attempts", "Attempts to acquire a lock, by outcome:"
			+ " acquired, reentered (already held by this thread) or timed-out", OUTCOME)),

	/** Time waited, acquired or not. */
	WAIT(timer("redis.starter.lock.wait", "Time callers waited to acquire a lock, acquired or timed out")),

	/** Time held. */
	HOLD(timer("redis.starter.lock.hold", "Time locks were held, from acquisition to release")),

	/** Renewals that found the lock gone. */
	LEASES_LOST(counter("redis.starter.lock.leases.lost", "leases",
			"Lease renewals that found the lock gone (expired or taken by another owner)")),

	/** Releases after the lease ended. */
	RELEASES_NOT_OWNER(counter("redis.starter.lock.releases.not-owner", "releases",
			"Releases by a caller that no longer owned the lock (its lease had ended)")),

	/** Wake-ups by the poll interval. */
	POLLS(counter("redis.starter.lock.polls", "polls",
			"Times a waiter woke by the poll interval rather than by a release notice")),

	/** Locks won by a late reply and released at once. */
	ABANDONED(counter("redis.starter.lock.abandoned", "locks",
			"Locks taken by a reply that came after the caller gave up, released at once"));

	private final MeterSpec spec;

	LockMeter(MeterSpec spec) {
		this.spec = spec;
	}

	@Override
	public MeterSpec spec() {
		return this.spec;
	}

}
