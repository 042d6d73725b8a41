package dev.redisstarter.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import org.jspecify.annotations.Nullable;

/**
 * One cache's local tier: a Caffeine cache bounded by entries or by bytes, each copy expiring with its entry in
 * Redis (or the policy's maximum local life, whichever comes first), with its counters resolved once so that a
 * local hit does not look meters up.
 */
final class NearTier {

	private final String name;

	private final Cache<String, NearEntry> entries;

	private final @Nullable Counter hits;

	private final @Nullable Counter nearHits;

	private final long maxTimeNanos;

	NearTier(String name, NearCachePolicy policy, @Nullable Counter hits, @Nullable Counter nearHits) {
		this.name = name;
		this.maxTimeNanos = policy.maxTime().toNanos();
		this.hits = hits;
		this.nearHits = nearHits;
		Caffeine<String, NearEntry> builder = Caffeine.newBuilder().expireAfter(new LocalLife());
		if (policy.maxBytes() > 0) {
			builder.maximumWeight(policy.maxBytes()).weigher((String key, NearEntry entry) -> entry.weight(key));
		}
		else {
			builder.maximumSize(policy.maxEntries());
		}
		this.entries = builder.build();
	}

	String name() {
		return this.name;
	}

	/** How long a copy is served at most. */
	long maxTimeNanos() {
		return this.maxTimeNanos;
	}

	@Nullable NearEntry get(String key) {
		return this.entries.getIfPresent(key);
	}

	void put(String key, NearEntry entry) {
		this.entries.put(key, entry);
	}

	/** Removes the copy only if it is still this one. */
	void remove(String key, NearEntry entry) {
		this.entries.asMap().remove(key, entry);
	}

	/** Removes a key's copy; true when there was one. */
	boolean remove(String key) {
		return this.entries.asMap().remove(key) != null;
	}

	/** Drops every copy; returns how many there were (about). */
	long clear() {
		long size = this.entries.estimatedSize();
		this.entries.invalidateAll();
		return size;
	}

	/** The size once pending evictions and expiries are done. */
	long cleanedSize() {
		this.entries.cleanUp();
		return this.entries.estimatedSize();
	}

	long size() {
		return this.entries.estimatedSize();
	}

	/** Counts a local hit: a hit of the cache, and a hit of its local tier. */
	void hit() {
		if (this.hits != null) {
			this.hits.increment();
		}
		if (this.nearHits != null) {
			this.nearHits.increment();
		}
	}

	/** Each copy lives as long as it was given when stored (replaced copies too), however often it is read. */
	private static final class LocalLife implements Expiry<String, NearEntry> {

		@Override
		public long expireAfterCreate(String key, NearEntry entry, long currentTime) {
			return entry.localLifeNanos();
		}

		@Override
		public long expireAfterUpdate(String key, NearEntry entry, long currentTime, long currentDuration) {
			return entry.localLifeNanos();
		}

		@Override
		public long expireAfterRead(String key, NearEntry entry, long currentTime, long currentDuration) {
			return currentDuration;
		}

	}

}
