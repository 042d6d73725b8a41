package dev.redisstarter.cache;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.RedisCircuitBreaker;
import dev.redisstarter.core.web.UnavailableLog;

/**
 * {@link CacheService} on Redis (through Lettuce). Keys:
 * <ul>
 * <li>{@code <prefix>cache:<key>}: string, the entry (see {@link CacheEntry}), with a jittered TTL;</li>
 * <li>{@code <prefix>cache::tag:<tag>}: string, the tag's current version, kept as long as the longest-lived
 * entry written with it; an invalidation replaces it (and publishes the tag on {@code <prefix>cache:invalidations}),
 * so every entry written with the old one reads as a miss. A version lost to eviction is never recreated with
 * an old value, so an evicted record fails safe (as misses) and an invalidation is never lost;</li>
 * <li>{@code <prefix>cache::lock:<key>}: string, the owner of a running load, expiring after the load timeout.</li>
 * </ul>
 * A hit is one {@code GET}: tag versions are known locally and kept fresh by pub/sub ({@link TagVersions});
 * versions not known locally cost one {@code MGET} more. Consistency when an invalidation races a load: a value
 * whose load started before one of its tags was invalidated is returned to its caller but not cached (the load
 * lock's server time marks the start, and {@code tag-version.lua} compares), whether the tags are known before
 * the load or come from its result. Once {@code invalidateTags} returns, this instance serves no entry written
 * before it; other instances stop within the delivery of the notice, and check against Redis while their
 * subscription is down.
 */
public final class RedisCacheService implements CacheService, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisCacheService.class);

	private final KeyNaming keys;

	private final JsonCodec codec;

	private final CacheSettings settings;

	private final CacheMetrics metrics;

	private final CacheCommands commands;

	private final TagVersions versions;

	private final EntryStore store;

	private final DeferredInvalidations deferred;

	private final UnavailableLog redisDownLog = new UnavailableLog(logger);

	private final LoadLock lock;

	private final PatternInvalidation patterns;

	/** How many tag invalidations may wait for Redis to come back; past it they are dropped and counted. */
	static final int MAX_DEFERRED_TAGS = 10_000;

	/** How long a cache call waits for Redis by default ({@code redis.starter.cache.timeout}). */
	public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(300);

	private final Map<String, CompletableFuture<Object>> loading = new ConcurrentHashMap<>();

	/**
	 * A cache service without metrics.
	 * @param connectionFactory a Lettuce connection factory (Spring Boot's default)
	 * @param keys the key naming
	 * @param codec writes and reads values
	 * @param settings policies, load lock and wait
	 */
	public RedisCacheService(RedisConnectionFactory connectionFactory, KeyNaming keys, JsonCodec codec,
			CacheSettings settings) {
		this(connectionFactory, keys, codec, settings, CacheMetrics.NONE);
	}

	/**
	 * A cache service.
	 * @param connectionFactory a Lettuce connection factory (Spring Boot's default)
	 * @param keys the key naming
	 * @param codec writes and reads values
	 * @param settings policies, load lock and wait
	 * @param metrics where hits, misses and loads are counted
	 */
	public RedisCacheService(RedisConnectionFactory connectionFactory, KeyNaming keys, JsonCodec codec,
			CacheSettings settings, CacheMetrics metrics) {
		this(RedisAccess.of(Objects.requireNonNull(connectionFactory, "connectionFactory must not be null"))
			.calls(Feature.CACHE, DEFAULT_DEADLINE), keys, codec, settings, metrics);
	}

	/**
	 * A cache service on the starter's shared access.
	 * @param calls the cache calls, each bounded by the cache deadline (the invalidation subscription takes a
	 * connection of its own from the same client)
	 * @param keys the key naming
	 * @param codec writes and reads values
	 * @param settings policies, load lock and wait
	 * @param metrics where hits, misses and loads are counted
	 */
	public RedisCacheService(RedisCalls calls, KeyNaming keys, JsonCodec codec, CacheSettings settings,
			CacheMetrics metrics) {
		Objects.requireNonNull(calls, "calls must not be null");
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
		this.codec = Objects.requireNonNull(codec, "codec must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
		this.commands = new CacheCommands(calls);
		String channel = keys.key(Feature.CACHE, "invalidations");
		this.versions = new TagVersions(calls.access(), channel, settings.localTagVersions());
		this.deferred = new DeferredInvalidations(MAX_DEFERRED_TAGS,
				calls.access().settings().openDuration().toMillis(), this::invalidateInRedis, metrics,
				calls.access().background());
		calls.access().circuit().onTransition((state) -> {
			if (state == RedisCircuitBreaker.State.CLOSED) {
				this.deferred.retrySoon();
			}
		});
		this.store = new EntryStore(this.commands, this.versions, this.deferred, keys, channel,
				settings.loadTimeout().toMillis());
		this.lock = new LoadLock(this.commands, keys, settings.loadTimeout().toMillis());
		this.patterns = new PatternInvalidation(this.commands, keys);
	}

	@Override
	public <T> Optional<T> get(String key, Class<T> type) {
		checkKey(key);
		String cache = CacheMetrics.cacheOf(key);
		try {
			Lookup found = lookup(key, cache, ValueType.fixed(this.codec.javaType(type)), false);
			return found.hit() ? Optional.ofNullable(type.cast(found.value())) : Optional.empty();
		}
		catch (DataAccessException ex) {
			failed(key, cache, "read", ex);
			return Optional.empty();
		}
	}

	@Override
	public <T> T getOrLoad(String key, Class<T> type, Duration ttl, Supplier<T> loader) {
		return getOrLoad(key, (Type) type, ttl, loader, (value) -> List.of(), (value) -> true);
	}

	@Override
	public <T> T getOrLoad(String key, Type type, Duration ttl, Supplier<T> loader,
			Function<? super T, ? extends Collection<String>> tagsOf, Predicate<? super T> cacheIf) {
		return getOrLoad(key, ValueType.fixed(this.codec.javaType(type)), ttl, loader, tagsOf, cacheIf);
	}

	<T> T getOrLoad(String key, ValueType javaType, Duration ttl, Supplier<T> loader,
			Function<? super T, ? extends Collection<String>> tagsOf, Predicate<? super T> cacheIf) {
		try {
			return lookupOrLoad(key, javaType, ttl, loader, tagsOf, cacheIf);
		}
		catch (LoaderFailure failure) {
			// The loader's own exception, unchanged: never taken for a Redis failure, nor retried.
			throw failure.original();
		}
	}

	@SuppressWarnings("unchecked")
	private <T> T lookupOrLoad(String key, ValueType javaType, Duration ttl, Supplier<T> loader,
			Function<? super T, ? extends Collection<String>> tagsOf, Predicate<? super T> cacheIf) {
		checkKey(key);
		String cache = CacheMetrics.cacheOf(key);
		CachePolicy policy = this.settings.policy(cache);
		Lookup found;
		try {
			found = lookup(key, cache, javaType, policy.earlyRefresh());
		}
		catch (DataAccessException ex) {
			failed(key, cache, "read", ex);
			return loadWithoutRedis(key, cache, loader);
		}
		if (found.hit() && !found.refreshNow(policy)) {
			return (T) found.value();
		}
		Load<T> load = new Load<>(key, cache, policy, ttl, javaType, loader, tagsOf, cacheIf);
		CompletableFuture<Object> mine = new CompletableFuture<>();
		CompletableFuture<Object> running = this.loading.putIfAbsent(key, mine);
		if (found.hit()) {
			this.metrics.count(CacheMetrics.GETS, cache, "refresh");
			// Early refresh: if this JVM is already loading the key, keep serving the cached value meanwhile.
			return (running != null) ? (T) found.value() : asTheLoad(key, mine, () -> (T) refresh(load, found.value()));
		}
		if (running != null) {
			this.metrics.count(CacheMetrics.COALESCED, cache, "local");
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
			this.metrics.count(CacheMetrics.COALESCED, cache, "local");
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
						Lookup again = lookup(load.key(), load.cache(), type, false, false);
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
				Lookup waited = lookup(load.key(), load.cache(), type, false, false);
				if (waited.hit()) {
					this.metrics.count(CacheMetrics.COALESCED, load.cache(), "remote");
					return (T) waited.value();
				}
			}
		}
		catch (DataAccessException ex) {
			failed(load.key(), load.cache(), "read", ex);
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
			failed(load.key(), load.cache(), "write", ex);
			return cached;
		}
		catch (LoaderFailure failure) {
			// The entry is still good: readers keep it, and the next early read tries again.
			this.metrics.count(CacheMetrics.REFRESH_FAILURES, load.cache(), "failure");
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
			this.metrics.count(CacheMetrics.UNCACHED_LOADS, load.cache(), "too-slow");
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
						jitter(load.ttl(), load.policy()), checkedTags(load.tagsOf().apply(value)), startedMicros,
						loadMillis);
			}
			else {
				List<String> tags = tagsOfAbsent(load);
				if (tags != null) {
					this.store.write(load.key(), null, null, jitter(load.policy().nullTtl(), load.policy()), tags,
							startedMicros, 0);
				}
			}
		}
		catch (DataAccessException ex) {
			failed(load.key(), load.cache(), "write", ex);
		}
		return value;
	}

	private static List<String> checkedTags(Collection<String> tags) {
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

	@Override
	public void set(String key, @Nullable Object value, Duration ttl, String... tags) {
		set(key, value, ttl, null, tags);
	}

	void set(String key, @Nullable Object value, Duration ttl, @Nullable ValueType type, String... tags) {
		checkKey(key);
		for (String tag : tags) {
			CacheEntry.checkTag(tag);
		}
		String cache = CacheMetrics.cacheOf(key);
		long ttlMillis = jitter(ttl, this.settings.policy(cache));
		byte[] json = (value != null) ? this.codec.encode(value) : null;
		try {
			if (value != null && type != null && !type.roundTrips(value)) {
				// Not cached; an older entry under the key would now be stale.
				this.commands.delete(List.of(this.store.entryKey(key)));
				return;
			}
			String described = (value != null && type != null) ? type.describe(value) : null;
			this.store.write(key, json, described, ttlMillis, List.of(tags), 0, 0);
		}
		catch (DataAccessException ex) {
			failed(key, cache, "write", ex);
		}
	}

	@Override
	public <T> T writeThrough(String key, T value, Duration ttl, Consumer<T> store, String... tags) {
		store.accept(value);
		set(key, value, ttl, tags);
		return value;
	}

	@Override
	public <T> Map<String, T> getAll(Collection<String> keys, Class<T> type) {
		List<String> wanted = List.copyOf(keys);
		wanted.forEach(RedisCacheService::checkKey);
		Map<String, T> found = new LinkedHashMap<>();
		if (wanted.isEmpty()) {
			return found;
		}
		ValueType javaType = ValueType.fixed(this.codec.javaType(type));
		Map<String, CacheEntry> entries;
		try {
			entries = this.store.readAll(wanted);
		}
		catch (DataAccessException ex) {
			failed(wanted.get(0), CacheMetrics.cacheOf(wanted.get(0)), "read", ex);
			return found;
		}
		for (String key : wanted) {
			CacheEntry entry = entries.get(key);
			String cache = CacheMetrics.cacheOf(key);
			if (entry == null || entry.absent()) {
				this.metrics.count(CacheMetrics.GETS, cache, (entry == null) ? "miss" : "hit");
				continue;
			}
			Optional<Object> value = decode(key, cache, entry, javaType, true);
			value.ifPresent((decoded) -> found.put(key, type.cast(decoded)));
		}
		return found;
	}

	@Override
	public void setAll(Map<String, ?> entries, Duration ttl) {
		List<byte[]> entryKeys = new ArrayList<>(entries.size());
		List<byte[]> values = new ArrayList<>(entries.size());
		List<Long> ttls = new ArrayList<>(entries.size());
		entries.forEach((key, value) -> {
			checkKey(key);
			entryKeys.add(this.store.entryKey(key));
			values.add(CacheEntry.encode((value != null) ? this.codec.encode(value) : null, Map.of(), 0, null));
			ttls.add(jitter(ttl, this.settings.policy(CacheMetrics.cacheOf(key))));
		});
		if (entryKeys.isEmpty()) {
			return;
		}
		try {
			this.commands.setAll(entryKeys, values, ttls);
		}
		catch (DataAccessException ex) {
			String first = entries.keySet().iterator().next();
			failed(first, CacheMetrics.cacheOf(first), "write", ex);
		}
	}

	@Override
	public long invalidatePattern(String glob) {
		long removed = this.patterns.invalidate(glob);
		this.metrics.count(CacheMetrics.INVALIDATIONS, CacheMetrics.cacheOf(glob), "pattern", removed);
		return removed;
	}

	@Override
	public void delete(String... keys) {
		List<byte[]> entries = new ArrayList<>(keys.length);
		for (String key : keys) {
			checkKey(key);
			entries.add(this.store.entryKey(key));
		}
		long removed = this.commands.delete(entries);
		if (keys.length > 0) {
			String cache = CacheMetrics.cacheOf(keys[0]);
			for (String key : keys) {
				if (!CacheMetrics.cacheOf(key).equals(cache)) {
					cache = "*";
					break;
				}
			}
			this.metrics.count(CacheMetrics.INVALIDATIONS, cache, "key", removed);
		}
	}

	@Override
	public long invalidateTags(String... tags) {
		for (String tag : tags) {
			CacheEntry.checkTag(tag);
		}
		if (tags.length == 0) {
			return 0;
		}
		List<String> invalidating = List.of(tags);
		long invalidated;
		try {
			invalidated = this.store.invalidate(invalidating);
		}
		catch (DataAccessException ex) {
			// The caller's work is done: keep the invalidation for when Redis answers, and stop serving here.
			invalidating.forEach(this.versions::forget);
			this.deferred.defer(invalidating, ex);
			return 0;
		}
		this.metrics.count(CacheMetrics.INVALIDATIONS, "*", "tag", tags.length);
		return invalidated;
	}

	private long invalidateInRedis(List<String> tags) {
		long invalidated = this.store.invalidate(tags);
		this.metrics.count(CacheMetrics.INVALIDATIONS, "*", "tag", tags.size());
		return invalidated;
	}

	/** Times a load the Spring Cache bridge saw from outside (a miss, then the put of the loaded value). */
	void recordLoad(String cache, long nanos) {
		this.metrics.load(cache, true, nanos);
	}

	/** A lookup for the Spring Cache bridge: a Redis failure is a miss (or thrown, per the settings). */
	Lookup read(String key, ValueType type) {
		checkKey(key);
		String cache = CacheMetrics.cacheOf(key);
		try {
			return lookup(key, cache, type, false);
		}
		catch (DataAccessException ex) {
			failed(key, cache, "read", ex);
			return Lookup.MISS;
		}
	}

	/** Reads an entry: a miss when missing, outdated by a tag, or unreadable (then removed and counted). */
	private Lookup lookup(String key, String cache, ValueType type, boolean withTtl) {
		return lookup(key, cache, type, withTtl, true);
	}

	/**
	 * Reads an entry.
	 * @param counted false for a caller already counted as a miss (a loader checking again), so it is not
	 * counted twice
	 */
	private Lookup lookup(String key, String cache, ValueType type, boolean withTtl, boolean counted) {
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

	private Optional<Object> decode(String key, String cache, CacheEntry entry, ValueType type, boolean counted) {
		JavaType readAs = type.readAs(entry);
		Optional<Object> value = (readAs != null) ? this.codec.read(entry.stored(), entry.jsonOffset(), entry.jsonLength(),
				readAs, () -> this.keys.key(Feature.CACHE, key)) : Optional.empty();
		if (value.isEmpty()) {
			// Unreadable (logged and counted by the codec): remove it, so that the next load replaces it.
			count(true, cache, "corrupt");
			this.commands.delete(List.of(this.store.entryKey(key)));
			return value;
		}
		count(counted, cache, "hit");
		return value;
	}

	private void count(boolean counted, String cache, String result) {
		if (counted) {
			this.metrics.count(CacheMetrics.GETS, cache, result);
		}
	}

	private void failed(String key, String cache, String operation, DataAccessException ex) {
		this.metrics.count(CacheMetrics.REDIS_FAILURES, cache, operation);
		if (this.settings.failOnRedisDown()) {
			throw new CacheUnavailableException(key, ex);
		}
		// Once per call would be one line per request during an outage: the circuit logs the outage itself.
		this.redisDownLog.log("Cache " + operation + " of " + Masking.mask(key) + " failed, served without the cache: "
				+ ex.getMessage());
	}

	private static long jitter(Duration ttl, CachePolicy policy) {
		if (ttl == null || ttl.toMillis() < 1) {
			throw new IllegalArgumentException("A cache time to live must be at least 1 ms, was " + ttl);
		}
		double spread = policy.ttlJitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
		return Math.max(1, Math.round(ttl.toMillis() * (1 + spread)));
	}

	private static void checkKey(String key) {
		if (key == null || key.isEmpty()) {
			throw new IllegalArgumentException("A cache key must not be empty");
		}
		if (key.charAt(0) == ':') {
			throw new IllegalArgumentException("A cache key must not start with ':' (the cache's own records live"
					+ " there), was " + Masking.mask(key));
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

	/** Whether locally known tag versions are trusted now (the invalidation subscription is up). */
	boolean tagVersionsTrusted() {
		return this.versions.trusted();
	}

	/** Stops listening for invalidations. The shared connection is the {@link RedisAccess}'s to close. */
	@Override
	public void close() {
		this.deferred.close();
		this.versions.close();
	}

	/** What a load runs and how its value is cached. */
	private record Load<T>(String key, String cache, CachePolicy policy, Duration ttl, ValueType type, Supplier<T> loader,
			Function<? super T, ? extends Collection<String>> tagsOf, Predicate<? super T> cacheIf) {
	}

	/** The outcome of a read: a hit (possibly a cached "absent", value {@code null}) or a miss. */
	record Lookup(boolean hit, @Nullable Object value, EntryStore.@Nullable Stored stored) {

		static final Lookup MISS = new Lookup(false, null, null);

		/**
		 * XFetch: refresh when {@code -delta * beta * ln(random)} reaches the remaining life, {@code delta}
		 * being how long the load took. Rare far from expiry, certain at it, earlier for slow loads.
		 */
		boolean refreshNow(CachePolicy policy) {
			if (!policy.earlyRefresh() || this.stored == null || this.stored.ttlMillis() <= 0) {
				return false;
			}
			long delta = this.stored.entry().loadMillis();
			if (delta <= 0) {
				return false;
			}
			double gap = -delta * policy.earlyRefreshBeta() * Math.log(1 - ThreadLocalRandom.current().nextDouble());
			return gap >= this.stored.ttlMillis();
		}

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
