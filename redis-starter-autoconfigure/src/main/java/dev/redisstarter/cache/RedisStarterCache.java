package dev.redisstarter.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;

/**
 * One Spring {@link org.springframework.cache.Cache} on the {@link RedisCacheService}: entries are the
 * service's, under {@code <prefix>cache:<name>:<key>} ({@code key.toString()}), with the cache's time to live
 * from {@code redis.starter.cache.caches.<name>.ttl} (else {@code default-ttl}), its null TTL and jitter, and
 * its metrics. {@code get(key, loader)} ({@code @Cacheable(sync = true)}) loads once across instances.
 * {@code clear()} removes the cache's entries by {@code SCAN}.
 */
public final class RedisStarterCache extends AbstractValueAdaptingCache {

	private final String name;

	private final RedisCacheService service;

	private final CacheSettings settings;

	private final ValueType type;

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder puts = new LongAdder();

	private final LongAdder evictions = new LongAdder();

	/** The key this thread missed last and when: a put of that key next is a non-{@code sync} load to time. */
	private final ThreadLocal<Miss> lastMiss = new ThreadLocal<>();

	RedisStarterCache(String name, RedisCacheService service, CacheSettings settings, ValueType type) {
		super(true);
		if (name.isEmpty() || name.indexOf(':') >= 0) {
			throw new IllegalArgumentException("A cache name must be non-empty without ':', was '" + name + "'");
		}
		this.name = name;
		this.service = service;
		this.settings = settings;
		this.type = type;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Object getNativeCache() {
		return this.service;
	}

	private String key(Object key) {
		return this.name + ":" + key;
	}

	private Duration ttl() {
		return this.settings.ttl(this.name, null);
	}

	@Override
	protected @Nullable Object lookup(Object key) {
		String cacheKey = key(key);
		Lookup found = this.service.read(cacheKey, this.type);
		if (!found.hit()) {
			this.misses.increment();
			this.lastMiss.set(new Miss(cacheKey, System.nanoTime()));
			return null;
		}
		this.hits.increment();
		return (found.value() != null) ? found.value() : NullValue.INSTANCE;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		boolean[] loaded = { false };
		T value = this.service.getOrLoad(key(key), this.type, ttl(), () -> {
			loaded[0] = true;
			try {
				return valueLoader.call();
			}
			catch (Exception ex) {
				throw new ValueRetrievalException(key, valueLoader, ex);
			}
		}, (loadedValue) -> List.of(), (loadedValue) -> true);
		(loaded[0] ? this.misses : this.hits).increment();
		return value;
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		this.puts.increment();
		String cacheKey = key(key);
		Miss miss = this.lastMiss.get();
		if (miss != null) {
			this.lastMiss.remove();
			if (miss.key().equals(cacheKey)) {
				// @Cacheable without sync: the method ran between this thread's miss and this put.
				this.service.recordLoad(this.name, System.nanoTime() - miss.atNanos());
			}
		}
		if (value == null) {
			this.service.set(key(key), null, this.settings.policy(this.name).nullTtl(), this.type);
		}
		else {
			this.service.set(key(key), value, ttl(), this.type);
		}
	}

	@Override
	public void evict(Object key) {
		this.evictions.increment();
		this.service.delete(key(key));
	}

	/**
	 * Lookups that found an entry, since the cache was created (for Spring Boot's cache meters).
	 * @return the count
	 */
	public long hitCount() {
		return this.hits.sum();
	}

	/**
	 * Lookups that found none, since the cache was created (for Spring Boot's cache meters).
	 * @return the count
	 */
	public long missCount() {
		return this.misses.sum();
	}

	/**
	 * Values put, since the cache was created (for Spring Boot's cache meters).
	 * @return the count
	 */
	public long putCount() {
		return this.puts.sum();
	}

	/**
	 * Keys evicted, since the cache was created (for Spring Boot's cache meters).
	 * @return the count
	 */
	public long evictionCount() {
		return this.evictions.sum();
	}

	/** A miss of this thread, waiting for the put of its loaded value. */
	private record Miss(String key, long atNanos) {
	}

	@Override
	public void clear() {
		this.service.invalidatePattern(this.name + ":*");
	}

}
