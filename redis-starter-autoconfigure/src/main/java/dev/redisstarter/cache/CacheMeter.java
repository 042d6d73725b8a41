package dev.redisstarter.cache;

import dev.redisstarter.core.MeterSpec;
import dev.redisstarter.core.StarterMeter;

import static dev.redisstarter.core.MeterSpec.counter;
import static dev.redisstarter.core.MeterSpec.gauge;
import static dev.redisstarter.core.MeterSpec.timer;
import static dev.redisstarter.core.MeterTag.CACHE;
import static dev.redisstarter.core.MeterTag.OUTCOME;

/**
 * The cache's meters, each tagged {@code cache} (the part of the key before its first {@code ':'}, {@code none}
 * without one) and {@code outcome}. Values that did not parse are also counted by
 * {@code redis.starter.codec.decode.failures}.
 */
public enum CacheMeter implements StarterMeter {

	/** Lookups. */
	GETS(counter("redis.starter.cache.gets", "lookups", "Cache lookups, by outcome: hit, miss, corrupt (an unreadable"
			+ " value, read as a miss) or refresh (a hit chosen for early refresh)", CACHE, OUTCOME)),

	/** Loader calls, those made while Redis does not answer included. */
	LOADS(timer("redis.starter.cache.loads", "Loader calls and their time, by outcome: success or failure (the loader"
			+ " threw)", CACHE, OUTCOME)),

	/** Callers that waited for another's load. */
	COALESCED(counter("redis.starter.cache.coalesced", "calls", "Callers that waited for another's load instead of"
			+ " loading, by outcome: local (a load in this JVM) or remote (another instance's)", CACHE, OUTCOME)),

	/** Tags invalidated ({@code cache} is {@code *}), entries deleted, entries removed by pattern. */
	INVALIDATIONS(counter("redis.starter.cache.invalidations", "invalidations", "Invalidations, by outcome: tag (tags"
			+ " invalidated), key (entries deleted), pattern (entries removed by pattern), deferred (tags held while Redis"
			+ " failed), retried (deferred tags sent again) or dropped (tags past the deferral bound)", CACHE, OUTCOME)),

	/** Early refreshes whose loader failed. */
	REFRESH_FAILURES(counter("redis.starter.cache.refresh.failures", "refreshes",
			"Early refreshes whose loader failed; the cached value was served", CACHE, OUTCOME)),

	/** Loaded values served but not cached. */
	UNCACHED_LOADS(counter("redis.starter.cache.loads.uncached", "loads",
			"Loaded values served but not cached, by reason (too-slow: longer than the load timeout)", CACHE, OUTCOME)),

	/** Redis failures the cache answered without Redis. */
	REDIS_FAILURES(counter("redis.starter.cache.redis.failures", "operations",
			"Redis failures answered without Redis, by outcome: read or write", CACHE, OUTCOME)),

	/** Hits served by a near cache's local tier (also counted in {@link #GETS} as hits). */
	NEAR_HITS(counter("redis.starter.cache.near.hits", "lookups",
			"Hits served from the near cache's local tier without a round trip (also counted as hits in"
					+ " redis.starter.cache.gets)", CACHE)),

	/** Copies held by a near cache's local tier. */
	NEAR_ENTRIES(gauge("redis.starter.cache.near.entries", "entries", "Copies held in the near cache's local tier"
			+ " (an estimate)", CACHE)),

	/** Copies dropped from a near cache's local tier, by why. */
	NEAR_DROPS(counter("redis.starter.cache.near.drops", "entries", "Copies dropped from the near cache's local tier,"
			+ " by outcome: notice (a write anywhere), cleared (a pattern invalidation), lost (the notices' subscription"
			+ " was lost), resubscribed, closed, or notices-overflowed (too many notices waited for Redis: cache *)",
			CACHE, OUTCOME)),

	/** Entries written by cache warming at start-up, by outcome. */
	WARMED(counter("redis.starter.cache.warmed", "entries", "Entries of cache warming at start-up, by outcome: written,"
			+ " failed (a load threw; a warmer whose keys threw counts one) or abandoned (left when the time budget ran"
			+ " out)", CACHE, OUTCOME)),

	/** Writes of write-behind caches, by outcome. */
	WRITE_BEHIND(counter("redis.starter.cache.write-behind", "writes", "Writes of write-behind caches, by outcome: set"
			+ " and delete (appended), persisted (handed to the writer, which returned), superseded (a later write of the"
			+ " key was pending), retried (a failed attempt) or dead-lettered; dead-letters-trimmed (older dead letters dropped"
			+ " by dead-letter-max-length)", CACHE, OUTCOME));

	private final MeterSpec spec;

	CacheMeter(MeterSpec spec) {
		this.spec = spec;
	}

	@Override
	public MeterSpec spec() {
		return this.spec;
	}

}
