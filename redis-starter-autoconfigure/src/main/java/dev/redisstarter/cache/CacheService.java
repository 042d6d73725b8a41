package dev.redisstarter.cache;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Cache-aside on Redis: values as plain JSON read back as the caller's type, tags that invalidate groups of
 * entries, and loads that run once however many callers and instances miss a key together.
 */
public interface CacheService {

	/**
	 * Reads an entry.
	 * @param <T> the type
	 * @param key the key (the prefix {@code <prefix>cache:} is added)
	 * @param type the type to read
	 * @return the value, or empty when absent, cached as absent, invalidated by a tag, or unreadable
	 */
	<T> Optional<T> get(String key, Class<T> type);

	/**
	 * Reads an entry, or loads, caches and returns it. Concurrent misses in this JVM share one load without a
	 * round trip each; misses in other instances wait (up to the configured wait) for the first loader's value.
	 * A {@code null} from the loader is cached as absent for the null TTL. When Redis fails, the loader's value
	 * is returned (unless configured to throw).
	 * @param <T> the type
	 * @param key the key
	 * @param type the type to read
	 * @param ttl the time to live of a loaded value (spread by the jitter)
	 * @param loader loads the value on a miss
	 * @return the cached or loaded value; {@code null} when the loader found nothing
	 */
	<T> T getOrLoad(String key, Class<T> type, Duration ttl, Supplier<T> loader);

	/**
	 * Reads an entry as a generic type (such as a method's {@code List<Product>} return type), or loads it;
	 * the loaded value is cached with the tags {@code tagsOf} gives for it, unless {@code cacheIf} says no.
	 * Otherwise as {@link #getOrLoad(String, Class, Duration, Supplier)}.
	 * @param <T> the type
	 * @param key the key
	 * @param type the type to read
	 * @param ttl the time to live of a loaded value
	 * @param loader loads the value on a miss
	 * @param tagsOf the tags of a loaded, non-null value
	 * @param cacheIf whether a loaded value is cached at all
	 * @return the cached or loaded value; {@code null} when the loader found nothing
	 */
	<T> T getOrLoad(String key, java.lang.reflect.Type type, Duration ttl, Supplier<T> loader,
			java.util.function.Function<? super T, ? extends java.util.Collection<String>> tagsOf,
			java.util.function.Predicate<? super T> cacheIf);

	/**
	 * Writes an entry.
	 * @param key the key
	 * @param value the value; {@code null} caches "absent"
	 * @param ttl the time to live (spread by the jitter)
	 * @param tags tags the entry carries; invalidating any of them makes it unreadable
	 */
	void set(String key, Object value, Duration ttl, String... tags);

	/**
	 * Stores a value in its system of record first, then caches it; when the store throws, nothing is cached.
	 * @param <T> the type
	 * @param key the key
	 * @param value the value
	 * @param ttl the time to live
	 * @param store writes the value to the system of record
	 * @param tags tags the entry carries
	 * @return the value
	 */
	<T> T writeThrough(String key, T value, Duration ttl, java.util.function.Consumer<T> store, String... tags);

	/**
	 * Reads several entries.
	 * @param <T> the type
	 * @param keys the keys
	 * @param type the type to read
	 * @return the entries found, by key (absent, cached-absent and invalidated ones left out)
	 */
	<T> java.util.Map<String, T> getAll(java.util.Collection<String> keys, Class<T> type);

	/**
	 * Writes several untagged entries with one time to live (each spread by the jitter).
	 * @param entries values by key
	 * @param ttl the time to live
	 */
	void setAll(java.util.Map<String, ?> entries, Duration ttl);

	/**
	 * Removes every entry whose key matches a glob, by {@code SCAN} (on every master of a Cluster) and
	 * {@code UNLINK} in batches; never {@code KEYS}.
	 * @param glob the pattern of the key after the cache prefix, such as {@code products:*}
	 * @return how many entries were removed
	 */
	long invalidatePattern(String glob);

	/**
	 * Removes entries.
	 * @param keys the keys
	 */
	void delete(String... keys);

	/**
	 * Makes every entry carrying any of the tags unreadable, wherever it is stored (also across Cluster slots).
	 * @param tags the tags
	 * @return how many of the tags had entries written since their last invalidation
	 */
	long invalidateTags(String... tags);

}
