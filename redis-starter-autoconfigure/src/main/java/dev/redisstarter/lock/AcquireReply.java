package dev.redisstarter.lock;

import java.util.List;

/**
 * What {@code acquire.lua} returns, by name (its header is the contract): {@code {1, fencing token}} when acquired,
 * {@code {0, milliseconds until the current holder's lease ends}} otherwise.
 * @param acquired whether this call took the lock
 * @param value the fencing token when acquired, else the ms until the holder's lease ends
 */
record AcquireReply(boolean acquired, long value) {

	static AcquireReply of(List<?> reply) {
		return new AcquireReply(((Long) reply.get(0)) == 1L, (Long) reply.get(1));
	}

	/** The fencing token of an acquired lock. */
	long fencingToken() {
		return this.value;
	}

	/** How long the current holder's lease still runs, for a lock not acquired. */
	long holderLeftMillis() {
		return this.value;
	}

}
