package dev.redisstarter.cache;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Loads the hot entries of one cache at start-up. Declare one as a bean: the starter runs every warmer once, before
 * the application reports itself ready (by default), with bounded concurrency and a time budget
 * ({@code redis.starter.cache.warming.*}), and writes each entry through {@link CacheService#set} with the cache's
 * time to live, so that tags and near caches apply as to any other write.
 * <p>
 * {@link #keys()} is called once; {@link #load(String)} is called once per key, from several threads at a time.
 * A warmer that throws is logged and counted, and does not stop the application unless
 * {@code redis.starter.cache.warming.fail-on-error=true}.
 */
public interface CacheWarmer {

	/**
	 * The cache this warmer fills; each entry's key is {@code <cache>:<key>}, as {@code @TaggedCacheable} names it.
	 * @return the cache's name
	 */
	String cache();

	/**
	 * The keys to warm, within the cache.
	 * @return the keys
	 */
	Collection<String> keys();

	/**
	 * Loads one entry.
	 * @param key a key from {@link #keys()}
	 * @return the entry, or {@code null} to write nothing for this key
	 */
	@Nullable Entry load(String key);

	/**
	 * A warmer of entries computed all at once (one query for the whole catalogue, say), untagged.
	 * @param cache the cache's name
	 * @param entries the values by key within the cache; called once, when warming starts
	 * @return the warmer
	 */
	static CacheWarmer ofEntries(String cache, Supplier<? extends Map<String, ?>> entries) {
		return ofEntries(cache, entries, (value) -> List.of());
	}

	/**
	 * A warmer of entries computed all at once, each tagged.
	 * @param <V> the type of the values
	 * @param cache the cache's name
	 * @param entries the values by key within the cache; called once, when warming starts
	 * @param tags the tags of a value
	 * @return the warmer
	 */
	static <V> CacheWarmer ofEntries(String cache, Supplier<? extends Map<String, ? extends V>> entries,
			Function<? super V, ? extends Collection<String>> tags) {
		Objects.requireNonNull(entries, "entries must not be null");
		Objects.requireNonNull(tags, "tags must not be null");
		return new EntriesWarmer<>(cache, entries, tags);
	}

	/**
	 * A warmer of keys loaded one by one (concurrently), untagged.
	 * @param cache the cache's name
	 * @param keys the keys within the cache; called once, when warming starts
	 * @param loader the value of a key, or {@code null} to write nothing
	 * @return the warmer
	 */
	static CacheWarmer ofKeys(String cache, Supplier<? extends Collection<String>> keys,
			Function<String, ?> loader) {
		return ofKeys(cache, keys, loader, (value) -> List.of());
	}

	/**
	 * A warmer of keys loaded one by one (concurrently), each value tagged.
	 * @param <V> the type of the values
	 * @param cache the cache's name
	 * @param keys the keys within the cache; called once, when warming starts
	 * @param loader the value of a key, or {@code null} to write nothing
	 * @param tags the tags of a value
	 * @return the warmer
	 */
	static <V> CacheWarmer ofKeys(String cache, Supplier<? extends Collection<String>> keys,
			Function<String, ? extends @Nullable V> loader, Function<? super V, ? extends Collection<String>> tags) {
		Objects.requireNonNull(cache, "cache must not be null");
		Objects.requireNonNull(keys, "keys must not be null");
		Objects.requireNonNull(loader, "loader must not be null");
		Objects.requireNonNull(tags, "tags must not be null");
		return new CacheWarmer() {

			@Override
			public String cache() {
				return cache;
			}

			@Override
			public Collection<String> keys() {
				return keys.get();
			}

			@Override
			public @Nullable Entry load(String key) {
				V value = loader.apply(key);
				return (value != null) ? new Entry(value, List.copyOf(tags.apply(value))) : null;
			}

		};
	}

	/**
	 * One entry to write.
	 * @param value the value
	 * @param tags the tags it carries
	 */
	record Entry(Object value, List<String> tags) {

		/**
		 * @param value the value, not {@code null}
		 * @param tags the tags
		 */
		public Entry {
			Objects.requireNonNull(value, "value must not be null");
			tags = List.copyOf(tags);
		}

		/**
		 * An entry.
		 * @param value the value
		 * @param tags the tags it carries
		 * @return the entry
		 */
		public static Entry of(Object value, String... tags) {
			return new Entry(value, List.of(tags));
		}

	}

}
