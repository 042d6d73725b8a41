package dev.redisstarter.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

import dev.redisstarter.core.JsonCodec;

/**
 * A Spring {@link CacheManager} backed by the {@link RedisCacheService}, so that plain {@code @Cacheable},
 * {@code @CachePut} and {@code @CacheEvict} get per-cache settings from {@code redis.starter.cache.caches.*},
 * the service's metrics, and a {@code sync = true} that loads once across instances. Caches are created on
 * first use. Values are JSON with their type recorded in the entry (see {@link DescribedValueType}).
 */
public final class RedisStarterCacheManager implements CacheManager {

	private final RedisCacheService service;

	private final CacheSettings settings;

	private final ValueType type;

	private final ConcurrentHashMap<String, RedisStarterCache> caches = new ConcurrentHashMap<>();

	/**
	 * A cache manager.
	 * @param service the cache service
	 * @param settings per-cache settings
	 * @param codec the codec whose types record values
	 * @param allowedPackages packages whose classes may be read back from Redis, besides the JDK's value types
	 */
	public RedisStarterCacheManager(RedisCacheService service, CacheSettings settings, JsonCodec codec,
			List<String> allowedPackages) {
		this.service = Objects.requireNonNull(service, "service must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.type = new DescribedValueType(codec, allowedPackages);
	}

	@Override
	public @Nullable Cache getCache(String name) {
		RedisStarterCache cache = this.caches.get(name);
		if (cache == null) {
			cache = new RedisStarterCache(name, this.service, this.settings, this.type);
			RedisStarterCache raced = this.caches.putIfAbsent(name, cache);
			cache = (raced != null) ? raced : cache;
		}
		return cache;
	}

	/**
	 * Writes a warmed entry ({@link CacheWarming}) with its type recorded, so that this manager's caches read it as a
	 * hit (an entry without a recorded type is a miss to them); {@code @TaggedCacheable} and the service read it
	 * as they read any entry. A value whose recorded type would not be read back is written all the same, for those
	 * readers (this manager's caches miss it, as they miss any entry they cannot read).
	 */
	void warm(String key, Object value, Duration ttl, String... tags) {
		ValueType recorded = this.type;
		this.service.set(key, value, ttl, new ValueType() {

			@Override
			public @Nullable JavaType readAs(CacheEntry entry) {
				return recorded.readAs(entry);
			}

			@Override
			public @Nullable String describe(Object described) {
				return recorded.describe(described);
			}

		}, tags);
	}

	@Override
	public Collection<String> getCacheNames() {
		Set<String> names = new LinkedHashSet<>(this.settings.caches().keySet());
		names.addAll(this.caches.keySet());
		return Set.copyOf(names);
	}

}
