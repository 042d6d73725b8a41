package dev.redisstarter.cache;

import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/** The outcome of a read: a hit (possibly a cached "absent", value {@code null}) or a miss. */
record Lookup(boolean hit, @Nullable Object value, EntryStore.@Nullable Stored stored) {

	static final Lookup MISS = new Lookup(false, null, null);

	/**
	 * XFetch: refresh when {@code -delta * beta * ln(random)} reaches the remaining life, {@code delta}
	 * being how long the load took. Rare far from expiry, certain at it, earlier for slow loads.
	 */
	boolean refreshNow(CachePolicy policy) {
		if (!policy.earlyRefresh() || this.stored == null || this.stored.ttlMillis() <= 0) {
			return false;
		}
		long delta = this.stored.entry().loadMillis();
		if (delta <= 0) {
			return false;
		}
		double gap = -delta * policy.earlyRefreshBeta() * Math.log(1 - ThreadLocalRandom.current().nextDouble());
		return gap >= this.stored.ttlMillis();
	}

}
