package dev.redisstarter.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;

import dev.redisstarter.cache.RedisStarterCache;

/**
 * Spring Boot's cache meters ({@code cache.gets} with {@code result=hit|miss}, {@code cache.puts},
 * {@code cache.evictions}) for the bridge's caches, bound by Boot's {@code CacheMetricsRegistrar} like those of
 * any other cache manager. The starter's own {@code redis.starter.cache.*} meters are unchanged.
 */
class RedisStarterCacheMeterBinderProvider implements CacheMeterBinderProvider<RedisStarterCache> {

	@Override
	public MeterBinder getMeterBinder(RedisStarterCache cache, Iterable<Tag> tags) {
		return new Binder(cache, tags);
	}

	private static final class Binder extends CacheMeterBinder<RedisStarterCache> {

		private final RedisStarterCache cache;

		Binder(RedisStarterCache cache, Iterable<Tag> tags) {
			super(cache, cache.getName(), tags);
			this.cache = cache;
		}

		@Override
		protected @Nullable Long size() {
			return null;
		}

		@Override
		protected long hitCount() {
			return this.cache.hitCount();
		}

		@Override
		protected Long missCount() {
			return this.cache.missCount();
		}

		@Override
		protected Long evictionCount() {
			return this.cache.evictionCount();
		}

		@Override
		protected long putCount() {
			return this.cache.putCount();
		}

		@Override
		protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
		}

	}

}
