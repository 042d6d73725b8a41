package dev.redisstarter.cache;

import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JavaType;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;

/**
 * Reads entries for the cache service: one {@code GET} (tag versions checked as {@link EntryStore} reads), the
 * value decoded for the caller's type, each read counted as a hit or a miss once, and an entry that cannot be
 * decoded removed so that the next load replaces it.
 */
final class CacheReads {

	private final EntryStore store;

	private final CacheCommands commands;

	private final JsonCodec codec;

	private final KeyNaming keys;

	private final CacheMetrics metrics;

	private final NearCache near;

	CacheReads(EntryStore store, CacheCommands commands, JsonCodec codec, KeyNaming keys, CacheMetrics metrics,
			NearCache near) {
		this.store = store;
		this.near = near;
		this.commands = commands;
		this.codec = codec;
		this.keys = keys;
		this.metrics = metrics;
	}

	/** Reads an entry: a miss when missing, outdated by a tag, or unreadable (then removed and counted). */
	Lookup lookup(String key, String cache, ValueType type, boolean withTtl) {
		return lookup(key, cache, type, withTtl, true);
	}

	/**
	 * Reads an entry.
	 * @param counted false for a caller already counted as a miss (a loader checking again), so it is not
	 * counted twice
	 */
	Lookup lookup(String key, String cache, ValueType type, boolean withTtl, boolean counted) {
		NearTier tier = this.near.tier(cache);
		if (tier == null) {
			return lookupInRedis(key, cache, type, withTtl, counted);
		}
		Lookup local = this.near.read(tier, key, type, this.store, counted);
		if (local != null) {
			return local;
		}
		long stamp = this.near.stamp(key);
		long readStart = System.nanoTime();
		// The remaining life is read along: a copy must not outlive its entry.
		EntryStore.Stored stored = this.store.read(key, true);
		if (stored == null) {
			count(counted, cache, "miss");
			return Lookup.MISS;
		}
		CacheEntry entry = stored.entry();
		// A copy whose tags cannot be checked here (local-tag-versions off) would be dropped at its first hit.
		boolean keep = entry.tags().isEmpty() || this.store.currentHere(entry.tags());
		if (entry.absent()) {
			count(counted, cache, "hit");
			if (keep) {
				this.near.keep(tier, key, stamp, readStart, stored, null, null, null);
			}
			return new Lookup(true, null, stored);
		}
		JavaType readAs = type.readAs(entry);
		Optional<Object> value = decode(key, cache, entry, type, counted);
		if (value.isEmpty()) {
			return Lookup.MISS;
		}
		if (keep) {
			this.near.keep(tier, key, stamp, readStart, stored, type, readAs, value.get());
		}
		return new Lookup(true, value.get(), stored);
	}

	private Lookup lookupInRedis(String key, String cache, ValueType type, boolean withTtl, boolean counted) {
		EntryStore.Stored stored = this.store.read(key, withTtl);
		if (stored == null) {
			count(counted, cache, "miss");
			return Lookup.MISS;
		}
		CacheEntry entry = stored.entry();
		if (entry.absent()) {
			count(counted, cache, "hit");
			return new Lookup(true, null, stored);
		}
		Optional<Object> value = decode(key, cache, entry, type, counted);
		return value.map((decoded) -> new Lookup(true, decoded, stored)).orElse(Lookup.MISS);
	}

	Optional<Object> decode(String key, String cache, CacheEntry entry, ValueType type, boolean counted) {
		JavaType readAs = type.readAs(entry);
		Optional<Object> value = (readAs != null) ? this.codec.read(entry.stored(), entry.jsonOffset(), entry.jsonLength(),
				readAs, () -> this.keys.key(Feature.CACHE, key)) : Optional.empty();
		if (value.isEmpty()) {
			// Unreadable (logged and counted by the codec): remove it, so that the next load replaces it.
			count(true, cache, "corrupt");
			// Another instance (another version of the class, another reader) may hold a copy it could read.
			List<String> removed = List.of(key);
			this.near.writing(removed);
			boolean applied = false;
			try {
				this.commands.delete(List.of(this.store.entryKey(key)));
				applied = true;
			}
			finally {
				this.near.written(removed, applied);
			}
			return value;
		}
		count(counted, cache, "hit");
		return value;
	}

	private void count(boolean counted, String cache, String result) {
		if (counted) {
			this.metrics.count(CacheMeter.GETS, cache, result);
		}
	}

}
