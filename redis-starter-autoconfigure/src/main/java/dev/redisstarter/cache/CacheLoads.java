package dev.redisstarter.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.Masking;

/**
 * Loads on a miss, once: one load per key at a time in this JVM (callers of the same key wait for it, also while
 * Redis is down), one across instances by the {@link LoadLock} (the others poll for its value within the wait),
 * early refresh of hot entries before they expire (XFetch), and a value whose load raced an invalidation of one of
 * its tags served but not cached.
 */
final class CacheLoads {

	/** The service's own logger name, which applications configure. */
	private static final Log logger = LogFactory.getLog(RedisCacheService.class);

	private final CacheSettings settings;

	private final CacheMetrics metrics;

	private final JsonCodec codec;

	private final EntryStore store;

	private final LoadLock lock;

	private final CacheReads reads;

	private final CacheFailures failures;

	private final Map<String, CompletableFuture<Object>> loading = new ConcurrentHashMap<>();

	CacheLoads(CacheSettings settings, CacheMetrics metrics, JsonCodec codec, EntryStore store, LoadLock lock,
			CacheReads reads, CacheFailures failures) {
		this.settings = settings;
		this.metrics = metrics;
		this.codec = codec;
		this.store = store;
		this.lock = lock;
		this.reads = reads;
		this.failures = failures;
	}

	/**
	 * A value from the cache, or loaded: the loader's own exception comes out unchanged, never taken for a Redis
	 * failure nor retried.
	 */
	<T> T getOrLoad(String key, ValueType javaType, Duration ttl, Supplier<T> loader,
			Function<? super T, ? extends Collection<String>> tagsOf, Predicate<? super T> cacheIf) {
		try {
			return lookupOrLoad(key, javaType, ttl, loader, tagsOf, cacheIf);
		}
		catch (LoaderFailure failure) {
			throw failure.original();
		}
	}

	@SuppressWarnings("unchecked")
	private <T> T lookupOrLoad(String key, ValueType javaType, Duration ttl, Supplier<T> loader,
			Function<? super T, ? extends Collection<String>> tagsOf, Predicate<? super T> cacheIf) {
		String cache = CacheMetrics.cacheOf(key);
		CachePolicy policy = this.settings.policy(cache);
		Lookup found;
		try {
			found = this.reads.lookup(key, cache, javaType, policy.earlyRefresh());
		}
		catch (DataAccessException ex) {
			this.failures.failed(key, cache, "read", ex);
			return loadWithoutRedis(key, cache, loader);
		}
		if (found.hit() && !found.refreshNow(policy)) {
			return (T) found.value();
		}
		Load<T> load = new Load<>(key, cache, policy, ttl, javaType, loader, tagsOf, cacheIf);
		CompletableFuture<Object> mine = new CompletableFuture<>();
		CompletableFuture<Object> running = this.loading.putIfAbsent(key, mine);
		if (found.hit()) {
			this.metrics.count(CacheMeter.GETS, cache, "refresh");
			// Early refresh: if this JVM is already loading the key, keep serving the cached value meanwhile.
			return (running != null) ? (T) found.value() : asTheLoad(key, mine, () -> (T) refresh(load, found.value()));
		}
		if (running != null) {
			this.metrics.count(CacheMeter.COALESCED, cache, "local");
			return (T) join(running);
		}
		return asTheLoad(key, mine, () -> loadOnce(load, javaType));
	}

	/**
	 * Redis did not answer: the loader serves the caller, still once per key at a time in this JVM, so that an
	 * outage does not turn every concurrent request for a hot key into a database read.
	 */
	@SuppressWarnings("unchecked")
	private <T> T loadWithoutRedis(String key, String cache, Supplier<T> loader) {
		CompletableFuture<Object> mine = new CompletableFuture<>();
		CompletableFuture<Object> running = this.loading.putIfAbsent(key, mine);
		if (running != null) {
			this.metrics.count(CacheMeter.COALESCED, cache, "local");
			return (T) join(running);
		}
		return asTheLoad(key, mine, () -> timedLoad(cache, loader));
	}

	/** Calls the loader where Redis did not answer: in {@code redis.starter.cache.loads} like every other load. */
	private <T> T timedLoad(String cache, Supplier<T> loader) {
		long start = System.nanoTime();
		boolean success = false;
		try {
			T value = loader.get();
			success = true;
			return value;
		}
		finally {
			this.metrics.load(cache, success, System.nanoTime() - start);
		}
	}

	/** Runs this JVM's one load of a key: callers that find {@code mine} registered wait for its outcome. */
	private <T> T asTheLoad(String key, CompletableFuture<Object> mine, Supplier<T> work) {
		try {
			T value = work.get();
			mine.complete(value);
			return value;
		}
		catch (RuntimeException | Error ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.loading.remove(key, mine);
		}
	}

	/** Loads under the key's cross-instance lock, or waits for the instance that holds it. */
	@SuppressWarnings("unchecked")
	private <T> T loadOnce(Load<T> load, ValueType type) {
		long deadline = System.nanoTime() + this.settings.waitTimeout().toNanos();
		try {
			while (true) {
				long lockedAt = System.nanoTime();
				LoadLock.Attempt attempt = this.lock.tryLock(load.key());
				if (attempt.taken()) {
					try {
						Lookup again = this.reads.lookup(load.key(), load.cache(), type, false, false);
						if (again.hit()) {
							return (T) again.value();
						}
						return run(load, attempt.serverMicros(), lockedAt);
					}
					finally {
						unlockQuietly(load.key(), attempt);
					}
				}
				if (System.nanoTime() > deadline) {
					// The other loader is too slow: serve this caller without waiting longer.
					return run(load, attempt.serverMicros(), lockedAt);
				}
				TimeUnit.MILLISECONDS.sleep(this.settings.pollInterval().toMillis());
				Lookup waited = this.reads.lookup(load.key(), load.cache(), type, false, false);
				if (waited.hit()) {
					this.metrics.count(CacheMeter.COALESCED, load.cache(), "remote");
					return (T) waited.value();
				}
			}
		}
		catch (DataAccessException ex) {
			this.failures.failed(load.key(), load.cache(), "read", ex);
			return timedLoad(load.cache(), load.loader());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return timedLoad(load.cache(), load.loader());
		}
	}

	/**
	 * Releases a load lock; a failure is left to the lock's own expiry, so that it can never replace the load's
	 * value or the loader's exception (nor make the caller load again).
	 */
	private void unlockQuietly(String key, LoadLock.Attempt attempt) {
		try {
			this.lock.unlock(key, attempt);
		}
		catch (DataAccessException ex) {
			logger.debug("Could not release the load lock of " + Masking.mask(key) + "; it expires by itself: " + ex.getMessage());
		}
	}

	/**
	 * Early refresh of a hit: one instance (the one that takes the load lock) reloads; the others keep the
	 * cached value meanwhile, as does this caller when Redis fails.
	 */
	private <T> Object refresh(Load<T> load, @Nullable Object cached) {
		try {
			long lockedAt = System.nanoTime();
			LoadLock.Attempt attempt = this.lock.tryLock(load.key());
			if (!attempt.taken()) {
				return cached;
			}
			try {
				return run(load, attempt.serverMicros(), lockedAt);
			}
			finally {
				unlockQuietly(load.key(), attempt);
			}
		}
		catch (DataAccessException ex) {
			this.failures.failed(load.key(), load.cache(), "write", ex);
			return cached;
		}
		catch (LoaderFailure failure) {
			// The entry is still good: readers keep it, and the next early read tries again.
			this.metrics.count(CacheMeter.REFRESH_FAILURES, load.cache(), "failure");
			logger.warn("Early refresh of " + Masking.mask(load.key()) + " failed, the cached value is served: "
					+ failure.original());
			return cached;
		}
	}

	/**
	 * Calls the loader and caches its value, unless a tag was invalidated since {@code startedMicros}, or the
	 * load outlived what an invalidation's record covers (the load timeout), so that the check could miss one.
	 * The loader's own exceptions come out wrapped in {@link LoaderFailure}.
	 */
	private <T> T run(Load<T> load, long startedMicros, long lockedAtNanos) {
		long start = System.nanoTime();
		T value;
		try {
			value = load.loader().get();
		}
		catch (RuntimeException | Error ex) {
			this.metrics.load(load.cache(), false, System.nanoTime() - start);
			throw new LoaderFailure(ex);
		}
		long took = System.nanoTime() - start;
		this.metrics.load(load.cache(), true, took);
		if (!load.cacheIf().test(value)) {
			return value;
		}
		if (System.nanoTime() - lockedAtNanos >= this.settings.loadTimeout().toNanos()) {
			this.metrics.count(CacheMeter.UNCACHED_LOADS, load.cache(), "too-slow");
			logger.debug(Masking.mask(load.key()) + " took longer to load than redis.starter.cache.load-timeout: served,"
					+ " not cached, since an invalidation during the load might no longer be seen");
			return value;
		}
		try {
			if (value != null && !load.type().roundTrips(value)) {
				return value;
			}
			if (value != null) {
				long loadMillis = load.policy().earlyRefresh() ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(took)) : 0;
				this.store.write(load.key(), this.codec.encode(value), load.type().describe(value),
						load.policy().jitteredTtlMillis(load.ttl()), checkedTags(load.tagsOf().apply(value)), startedMicros,
						loadMillis);
			}
			else {
				List<String> tags = tagsOfAbsent(load);
				if (tags != null) {
					this.store.write(load.key(), null, null, load.policy().jitteredTtlMillis(load.policy().nullTtl()), tags,
							startedMicros, 0);
				}
			}
		}
		catch (DataAccessException ex) {
			this.failures.failed(load.key(), load.cache(), "write", ex);
		}
		return value;
	}

	static List<String> checkedTags(Collection<String> tags) {
		tags.forEach(CacheEntry::checkTag);
		return List.copyOf(tags);
	}

	/**
	 * The tags of a cached "absent", so that an invalidation reaches it too; {@code null} (not cached) when they
	 * cannot be computed without a value (tags read from the result).
	 */
	private static <T> @Nullable List<String> tagsOfAbsent(Load<T> load) {
		try {
			return checkedTags(load.tagsOf().apply(null));
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static Object join(CompletableFuture<Object> running) {
		try {
			return running.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw ex;
		}
	}

	/** What a load runs and how its value is cached. */
	private record Load<T>(String key, String cache, CachePolicy policy, Duration ttl, ValueType type, Supplier<T> loader,
			Function<? super T, ? extends Collection<String>> tagsOf, Predicate<? super T> cacheIf) {
	}

	/** A loader's own exception, carried through the cache's Redis-failure handling unchanged. */
	private static final class LoaderFailure extends RuntimeException {

		LoaderFailure(Throwable original) {
			super(null, original, false, false);
		}

		RuntimeException original() {
			if (getCause() instanceof Error error) {
				throw error;
			}
			return (RuntimeException) getCause();
		}

	}

}
