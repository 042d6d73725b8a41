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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisAccess;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.RedisCircuitBreaker;

/**
 * {@link CacheService} on Redis (through Lettuce). Keys:
 * <ul>
 * <li>{@code <prefix>cache:<key>}: string, the entry (see {@link CacheEntry}), with a jittered TTL;</li>
 * <li>{@code <prefix>cache::tag:<tag>}: string, the tag's current version, kept as long as the longest-lived
 * entry written with it; an invalidation replaces it (and publishes the tag on {@code <prefix>cache:invalidations}),
 * so every entry written with the old one reads as a miss. A version lost to eviction is never recreated with
 * an old value, so an evicted record fails safe (as misses) and an invalidation is never lost;</li>
 * <li>{@code <prefix>cache::lock:<key>}: string, the owner of a running load, expiring after the load timeout;</li>
 * <li>for write-behind caches, the entry lives at {@code <prefix>cache:{<cache>.write-behind.<n>}:<key>} instead, next
 * to its partition's stream ({@link WriteBehindKeys}): a write or delete stores it and appends to the stream in one
 * script, and a failure is thrown rather than served around.</li>
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

	private final KeyNaming keys;

	private final JsonCodec codec;

	private final CacheSettings settings;

	private final CacheMetrics metrics;

	private final CacheCommands commands;

	private final TagVersions versions;

	private final EntryStore store;

	private final DeferredInvalidations deferred;

	private final CacheReads reads;

	private final CacheFailures failures;

	private final CacheLoads loads;

	private final PatternInvalidation patterns;

	private final NearCache near;

	private final RedisCircuitBreaker circuit;

	/** Retries deferred tag invalidations when the circuit closes; removed on close. */
	private final Consumer<RedisCircuitBreaker.State> circuitClosed;

	/** The write-behind caches' writes. */
	private final WriteBehindLog writeBehind;

	/** How many tag invalidations may wait for Redis to come back; past it they are dropped and counted. */
	static final int MAX_DEFERRED_TAGS = 10_000;

	/** How long a cache call waits for Redis by default ({@code redis.starter.cache.timeout}). */
	public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(300);

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
		this(calls, keys, codec, settings, metrics, WriteBehindSettings.NONE);
	}

	/**
	 * A cache service with write-behind caches: their writes and deletes are stored and appended to their stream in
	 * one step, for a {@link WriteBehind} (in this instance or another) to persist.
	 * @param calls the cache calls, each bounded by the cache deadline
	 * @param keys the key naming
	 * @param codec writes and reads values
	 * @param settings policies, load lock and wait
	 * @param metrics where hits, misses and loads are counted
	 * @param writeBehind which caches are write-behind
	 */
	public RedisCacheService(RedisCalls calls, KeyNaming keys, JsonCodec codec, CacheSettings settings,
			CacheMetrics metrics, WriteBehindSettings writeBehind) {
		Objects.requireNonNull(calls, "calls must not be null");
		Objects.requireNonNull(writeBehind, "writeBehind must not be null");
		this.writeBehind = new WriteBehindLog(calls, new WriteBehindKeys(keys, writeBehind));
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
		this.circuitClosed = (state) -> {
			if (state == RedisCircuitBreaker.State.CLOSED) {
				this.deferred.retrySoon();
			}
		};
		this.circuit = calls.access().circuit();
		this.near = new NearCache(calls.access(), this.commands, keys.key(Feature.CACHE, "invalidations", "keys"), settings,
				metrics);
		this.store = new EntryStore(this.commands, this.versions, this.deferred, this.near, keys, channel,
				settings.loadTimeout().toMillis(), this.writeBehind);
		this.reads = new CacheReads(this.store, this.commands, codec, keys, metrics, this.near);
		this.failures = new CacheFailures(settings, metrics);
		this.loads = new CacheLoads(settings, metrics, codec, this.store,
				new LoadLock(this.commands, keys, settings.loadTimeout().toMillis()), this.reads, this.failures);
		this.patterns = new PatternInvalidation(this.commands, keys);
		// Last: the shared circuit refers to this service only once it is built (NearCache and TagVersions subscribe
		// on their own above, and close with it).
		this.circuit.onTransition(this.circuitClosed);
	}

	@Override
	public <T> Optional<T> get(String key, Class<T> type) {
		checkKey(key);
		String cache = CacheMetrics.cacheOf(key);
		try {
			Lookup found = this.reads.lookup(key, cache, ValueType.fixed(this.codec.javaType(type)), false);
			return found.hit() ? Optional.ofNullable(type.cast(found.value())) : Optional.empty();
		}
		catch (DataAccessException ex) {
			this.failures.failed(key, cache, "read", ex);
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
		checkKey(key);
		return this.loads.getOrLoad(key, javaType, ttl, loader, tagsOf, cacheIf);
	}

	@Override
	public void set(String key, @Nullable Object value, Duration ttl, String... tags) {
		set(key, value, ttl, null, tags);
	}

	void set(String key, @Nullable Object value, Duration ttl, @Nullable ValueType type, String... tags) {
		checkKey(key);
		checkTags(tags);
		String cache = CacheMetrics.cacheOf(key);
		long ttlMillis = this.settings.policy(cache).jitteredTtlMillis(ttl);
		byte[] json = (value != null) ? this.codec.encode(value) : null;
		if (this.writeBehind.policy(cache) != null) {
			writeBehind(key, json, (value != null && type != null) ? type.describe(value) : null, ttlMillis, tags);
			return;
		}
		try {
			if (value != null && type != null && !type.roundTrips(value)) {
				// Not cached; an older entry under the key would now be stale.
				deleteEntries(List.of(key));
				return;
			}
			String described = (value != null && type != null) ? type.describe(value) : null;
			this.store.write(key, json, described, ttlMillis, List.of(tags), 0, 0);
		}
		catch (DataAccessException ex) {
			this.failures.failed(key, cache, "write", ex);
		}
	}

	/** Whether a cache writes behind (its writes go to the system of record through a stream). */
	boolean writesBehind(String cache) {
		return this.writeBehind.policy(cache) != null;
	}

	/**
	 * Caches a value read from the system of record (cache warming): for a write-behind cache, written as a load is
	 * (not written back, and not over a write made meanwhile); for the others as {@link #set}.
	 */
	void setLoaded(String key, @Nullable Object value, Duration ttl, String... tags) {
		String cache = CacheMetrics.cacheOf(key);
		if (this.writeBehind.policy(cache) == null) {
			set(key, value, ttl, tags);
			return;
		}
		checkKey(key);
		checkTags(tags);
		try {
			this.store.write(key, (value != null) ? this.codec.encode(value) : null, null,
					this.settings.policy(cache).jitteredTtlMillis(ttl), List.of(tags), 0, 0);
		}
		catch (DataAccessException ex) {
			this.failures.failed(key, cache, "write", ex);
		}
	}

	@Override
	public <T> T writeThrough(String key, T value, Duration ttl, Consumer<T> store, String... tags) {
		// Every check first: a refused key or tag must not leave the system of record written and the caller told no.
		checkKey(key);
		this.keys.checkPart(Feature.CACHE, key);
		checkTags(tags);
		store.accept(value);
		set(key, value, ttl, tags);
		return value;
	}

	/**
	 * A write (or, for {@code null}, a delete) of a write-behind cache: stored and appended in one step, or thrown.
	 * Untagged: a tag's record lives in another slot than the partition, and one script writes both.
	 */
	private void writeBehind(String key, byte @Nullable [] json, @Nullable String type, long ttlMillis, String... tags) {
		if (tags.length > 0) {
			throw new IllegalArgumentException("Write-behind cache '" + CacheMetrics.cacheOf(key) + "' takes no tags");
		}
		List<String> written = List.of(key);
		this.near.writing(written);
		boolean applied = false;
		try {
			if (json != null) {
				this.writeBehind.set(key, json, CacheEntry.encode(json, Map.of(), 0, type), ttlMillis);
			}
			else {
				this.writeBehind.delete(key, CacheEntry.encode(null, Map.of(), 0, null), ttlMillis);
			}
			applied = true;
		}
		finally {
			this.near.written(written, applied);
		}
		this.metrics.count(CacheMeter.WRITE_BEHIND, CacheMetrics.cacheOf(key), (json != null) ? "set" : "delete");
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
		List<String> remote = new ArrayList<>(wanted.size());
		for (String key : wanted) {
			NearTier tier = this.near.tier(CacheMetrics.cacheOf(key));
			Lookup local = (tier != null) ? this.near.read(tier, key, javaType, this.store, true) : null;
			if (local == null) {
				remote.add(key);
			}
			else if (local.value() != null) {
				found.put(key, type.cast(local.value()));
			}
		}
		if (remote.isEmpty()) {
			return found;
		}
		wanted = remote;
		Map<String, CacheEntry> entries;
		try {
			entries = this.store.readAll(wanted);
		}
		catch (DataAccessException ex) {
			this.failures.failed(wanted.get(0), CacheMetrics.cacheOf(wanted.get(0)), "read", ex);
			return found;
		}
		for (String key : wanted) {
			CacheEntry entry = entries.get(key);
			String cache = CacheMetrics.cacheOf(key);
			if (entry == null || entry.absent()) {
				this.metrics.count(CacheMeter.GETS, cache, (entry == null) ? "miss" : "hit");
				continue;
			}
			Optional<Object> value = this.reads.decode(key, cache, entry, javaType, true);
			value.ifPresent((decoded) -> found.put(key, type.cast(decoded)));
		}
		return found;
	}

	@Override
	public void setAll(Map<String, ?> entries, Duration ttl) {
		List<byte[]> entryKeys = new ArrayList<>(entries.size());
		List<byte[]> values = new ArrayList<>(entries.size());
		List<Long> ttls = new ArrayList<>(entries.size());
		List<String> written = new ArrayList<>(entries.size());
		entries.forEach((key, value) -> {
			checkKey(key);
			if (this.writeBehind.policy(CacheMetrics.cacheOf(key)) != null) {
				set(key, value, ttl);
				return;
			}
			written.add(key);
			entryKeys.add(this.store.entryKey(key));
			values.add(CacheEntry.encode((value != null) ? this.codec.encode(value) : null, Map.of(), 0, null));
			ttls.add(this.settings.policy(CacheMetrics.cacheOf(key)).jitteredTtlMillis(ttl));
		});
		if (entryKeys.isEmpty()) {
			return;
		}
		this.near.writing(written);
		boolean applied = false;
		try {
			this.commands.setAll(entryKeys, values, ttls);
			applied = true;
		}
		catch (DataAccessException ex) {
			String first = written.get(0);
			this.failures.failed(first, CacheMetrics.cacheOf(first), "write", ex);
		}
		finally {
			this.near.written(written, applied);
		}
	}

	@Override
	public long invalidatePattern(String glob) {
		long removed;
		boolean completed = false;
		try {
			removed = this.patterns.invalidate(glob);
			completed = true;
		}
		finally {
			// Even a scan cut short may have removed entries: every instance drops its copies.
			this.near.patternRemoved(glob, completed);
		}
		this.metrics.count(CacheMeter.INVALIDATIONS, CacheMetrics.cacheOf(glob), "pattern", removed);
		return removed;
	}

	@Override
	public void delete(String... keys) {
		List<String> plain = new ArrayList<>(keys.length);
		for (String key : keys) {
			checkKey(key);
		}
		for (String key : keys) {
			String cache = CacheMetrics.cacheOf(key);
			if (this.writeBehind.policy(cache) != null) {
				// Stored as "absent" rather than removed: a reader must not load the old value before the delete persists.
				writeBehind(key, null, null, this.settings.policy(cache).jitteredTtlMillis(this.settings.ttl(cache, null)));
			}
			else {
				plain.add(key);
			}
		}
		long removed = deleteEntries(plain);
		if (keys.length > 0) {
			String cache = CacheMetrics.cacheOf(keys[0]);
			for (String key : keys) {
				if (!CacheMetrics.cacheOf(key).equals(cache)) {
					cache = "*";
					break;
				}
			}
			this.metrics.count(CacheMeter.INVALIDATIONS, cache, "key", removed);
		}
	}

	@Override
	public long invalidateTags(String... tags) {
		// Every tag before the first is sent: the invalidations go out one script per tag.
		checkTags(tags);
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
		this.metrics.count(CacheMeter.INVALIDATIONS, "*", "tag", tags.length);
		return invalidated;
	}

	/** Deletes entries, dropping their near-cached copies here and in every instance. */
	private long deleteEntries(List<String> keys) {
		List<byte[]> entries = new ArrayList<>(keys.size());
		keys.forEach((key) -> entries.add(this.store.entryKey(key)));
		this.near.writing(keys);
		boolean applied = false;
		try {
			long removed = this.commands.delete(entries);
			applied = true;
			return removed;
		}
		finally {
			this.near.written(keys, applied);
		}
	}

	private long invalidateInRedis(List<String> tags) {
		long invalidated = this.store.invalidate(tags);
		this.metrics.count(CacheMeter.INVALIDATIONS, "*", "tag", tags.size());
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
			return this.reads.lookup(key, cache, type, false);
		}
		catch (DataAccessException ex) {
			this.failures.failed(key, cache, "read", ex);
			return Lookup.MISS;
		}
	}

	/** Each tag is valid and within the bound on key parts, before anything is sent. */
	private void checkTags(String... tags) {
		for (String tag : tags) {
			CacheEntry.checkTag(tag);
			this.keys.checkPart(Feature.CACHE, tag);
		}
	}

	static void checkKey(String key) {
		if (key == null || key.isEmpty()) {
			throw new IllegalArgumentException("A cache key must not be empty");
		}
		if (key.charAt(0) == ':') {
			throw new IllegalArgumentException("A cache key must not start with ':' (the cache's own records live"
					+ " there), was " + Masking.mask(key));
		}
	}

	/** Whether locally known tag versions are trusted now (the invalidation subscription is up). */
	boolean tagVersionsTrusted() {
		return this.versions.trusted();
	}

	/** Whether near-cached copies are served now (their notices' subscription is up); false without near caches. */
	boolean nearCacheTrusted() {
		return this.near.trusted();
	}

	/** How many caches have a near cache's local tier in this instance. */
	int nearCacheTiers() {
		return this.near.tierCount();
	}

	/** How many copies a cache's near cache holds (after pending evictions), 0 without one. */
	long nearCacheEntries(String cache) {
		NearTier tier = this.near.tier(cache);
		return (tier != null) ? tier.cleanedSize() : 0;
	}

	/** Stops listening for invalidations. The shared connection is the {@link RedisAccess}'s to close. */
	@Override
	public void close() {
		this.circuit.removeTransitionListener(this.circuitClosed);
		this.near.close();
		this.deferred.close();
		this.versions.close();
	}


}
