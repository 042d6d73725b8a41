package dev.redisstarter.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

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
		RedisCacheService.Lookup found = this.service.read(key(key), this.type);
		if (!found.hit()) {
			return null;
		}
		return (found.value() != null) ? found.value() : NullValue.INSTANCE;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		return this.service.getOrLoad(key(key), this.type, ttl(), () -> {
			try {
				return valueLoader.call();
			}
			catch (Exception ex) {
				throw new ValueRetrievalException(key, valueLoader, ex);
			}
		}, (value) -> List.of(), (value) -> true);
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		if (value == null) {
			this.service.set(key(key), null, this.settings.policy(this.name).nullTtl(), this.type);
		}
		else {
			this.service.set(key(key), value, ttl(), this.type);
		}
	}

	@Override
	public void evict(Object key) {
		this.service.delete(key(key));
	}

	@Override
	public void clear() {
		this.service.invalidatePattern(this.name + ":*");
	}

}
