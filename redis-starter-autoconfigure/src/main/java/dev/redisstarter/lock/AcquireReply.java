package dev.redisstarter.lock;

import java.util.List;

/**
 * What {@code acquire.lua} returns, by name (its header is the contract): {@code {1, fencing token}} when acquired,
 * {@code {2, fencing token}} when this owner already held the lock when the try ran (a
 * release handed it over, or a run of the same try whose reply was lost took it), {@code {0, milliseconds until the
 * current holder's lease ends}} otherwise.
 * @param code 1 acquired, 2 already handed to this owner, 0 held by another
 * @param value the fencing token when acquired, else the ms until the holder's lease ends
 */
record AcquireReply(long code, long value) {

	static AcquireReply of(List<?> reply) {
		return new AcquireReply((Long) reply.get(0), (Long) reply.get(1));
	}

	/** Whether this call took the lock. */
	boolean acquired() {
		return this.code == 1L;
	}

	/** Whether a release handed the lock to this owner before the try ran (its token comes with the hand-off). */
	boolean handedOver() {
		return this.code == 2L;
	}

	/** The fencing token of an acquired lock, or of one this owner already held. */
	long fencingToken() {
		return this.value;
	}

	/** How long the current holder's lease still runs, for a lock not acquired. */
	long holderLeftMillis() {
		return this.value;
	}

}
