package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.ScriptRunner;

/**
 * {@link CacheService} on Redis. Keys:
 * <ul>
 * <li>{@code <prefix>cache:<key>}: string, the entry (see {@link CacheEntry}), with a jittered TTL;</li>
 * <li>{@code <prefix>cache:tag:<tag>}: string, the tag's current version ({@code tag-version.lua}), kept as long
 * as the longest-lived entry written with it. Invalidation deletes it: an entry whose tag version is missing
 * or different reads as a miss, so an evicted tag fails safe and an invalidation is never lost;</li>
 * <li>{@code <prefix>cache:lock:<key>}: string, the owner of a running load, expiring after the load timeout.</li>
 * </ul>
 * A hit is one {@code GET} (untagged) or a {@code GET} plus one {@code MGET} of its tags' versions (tagged).
 * Consistency when an invalidation races a write: {@link #set} reads its tags' versions just before it writes
 * the entry, so an invalidation after that read leaves the entry with old versions, which reads as a miss;
 * after {@code invalidateTags} returns, no read returns an entry written with the tags' earlier versions. Not
 * yet guaranteed: a caller that read its data source before an invalidation and calls {@code set} after it
 * writes a readable (stale) entry; closing that needs the versions taken before the load (planned with
 * {@code @TaggedCacheable}).
 */
public final class RedisCacheService implements CacheService {

	private static final Log logger = LogFactory.getLog(RedisCacheService.class);

	private static final LuaScript<String> TAG_VERSION = LuaScript.load("dev/redisstarter/cache/tag-version.lua",
			String.class);

	private static final LuaScript<Long> UNLOCK = LuaScript.load("dev/redisstarter/cache/unlock.lua", Long.class);

	private final RedisTemplate<String, byte[]> redis;

	private final RedisConnectionFactory connectionFactory;

	private final ScriptRunner scripts;

	private final KeyNaming keys;

	private final JsonCodec codec;

	private final CacheSettings settings;

	private final Map<String, CompletableFuture<Object>> loading = new ConcurrentHashMap<>();

	private final String instanceId = UUID.randomUUID().toString();

	private final AtomicLong loads = new AtomicLong();

	/**
	 * A cache service.
	 * @param connectionFactory where connections come from
	 * @param keys the key naming
	 * @param codec writes and reads values
	 * @param settings null TTL, jitter, load lock and wait
	 */
	public RedisCacheService(RedisConnectionFactory connectionFactory, KeyNaming keys, JsonCodec codec,
			CacheSettings settings) {
		this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
		this.redis = new RedisTemplate<>();
		this.redis.setConnectionFactory(connectionFactory);
		this.redis.setKeySerializer(RedisSerializer.string());
		this.redis.setValueSerializer(RedisSerializer.byteArray());
		this.redis.afterPropertiesSet();
		this.scripts = new ScriptRunner(connectionFactory);
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
		this.codec = Objects.requireNonNull(codec, "codec must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
	}

	@Override
	public <T> Optional<T> get(String key, Class<T> type) {
		try {
			Lookup found = lookup(key, this.codec.javaType(type));
			return found.hit() ? Optional.ofNullable(type.cast(found.value())) : Optional.empty();
		}
		catch (DataAccessException ex) {
			if (this.settings.failOnRedisDown()) {
				throw new CacheUnavailableException(key, ex);
			}
			logger.warn("Cache read of '" + key + "' failed, answering a miss: " + ex.getMessage());
			return Optional.empty();
		}
	}

	@Override
	public <T> T getOrLoad(String key, Class<T> type, Duration ttl, Supplier<T> loader) {
		return getOrLoad(key, (Type) type, ttl, loader, (value) -> List.of(), (value) -> true);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T getOrLoad(String key, Type type, Duration ttl, Supplier<T> loader,
			Function<? super T, ? extends Collection<String>> tagsOf, Predicate<? super T> cacheIf) {
		JavaType javaType = this.codec.javaType(type);
		Load<T> load = new Load<>(ttl, loader, tagsOf, cacheIf);
		try {
			Lookup found = lookup(key, javaType);
			if (found.hit()) {
				return (T) found.value();
			}
		}
		catch (DataAccessException ex) {
			return redisDown(key, loader, ex);
		}
		CompletableFuture<Object> mine = new CompletableFuture<>();
		CompletableFuture<Object> running = this.loading.putIfAbsent(key, mine);
		if (running != null) {
			return (T) join(running);
		}
		try {
			T value = loadOnce(key, javaType, load);
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
	private <T> T loadOnce(String key, JavaType type, Load<T> load) {
		Supplier<T> loader = load.loader();
		String lock = this.keys.key(Feature.CACHE, "lock", key);
		String owner = this.instanceId + ":" + this.loads.incrementAndGet();
		long deadline = System.nanoTime() + this.settings.waitTimeout().toNanos();
		try {
			while (true) {
				Boolean locked = this.redis.opsForValue()
					.setIfAbsent(lock, owner.getBytes(StandardCharsets.UTF_8), this.settings.loadTimeout());
				if (Boolean.TRUE.equals(locked)) {
					try {
						Lookup again = lookup(key, type);
						if (again.hit()) {
							return (T) again.value();
						}
						return load.run(this, key);
					}
					finally {
						this.scripts.integer(UNLOCK, 1, bytes(lock), bytes(owner));
					}
				}
				if (System.nanoTime() > deadline) {
					// The other loader is too slow: serve this caller without waiting longer.
					return load.run(this, key);
				}
				TimeUnit.MILLISECONDS.sleep(this.settings.pollInterval().toMillis());
				Lookup waited = lookup(key, type);
				if (waited.hit()) {
					return (T) waited.value();
				}
			}
		}
		catch (DataAccessException ex) {
			return redisDown(key, loader, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return loader.get();
		}
	}

	private <T> T redisDown(String key, Supplier<T> loader, DataAccessException ex) {
		if (this.settings.failOnRedisDown()) {
			throw new CacheUnavailableException(key, ex);
		}
		logger.warn("Cache unavailable for '" + key + "', calling the loader: " + ex.getMessage());
		return loader.get();
	}

	@Override
	public void set(String key, @Nullable Object value, Duration ttl, String... tags) {
		checkKey(key);
		for (String tag : tags) {
			CacheEntry.checkTag(tag);
		}
		long ttlMillis = jitter(ttl);
		byte[] json = (value != null) ? this.codec.encode(value) : null;
		try {
			// The tags' versions are read before the entry is written: see the class comment on races.
			Map<String, String> versions = new LinkedHashMap<>();
			for (String tag : tags) {
				versions.put(tag, text(this.scripts.run(TAG_VERSION, 1, bytes(tagKey(tag)), bytes(Long.toString(ttlMillis)))));
			}
			this.redis.opsForValue().set(entryKey(key), CacheEntry.encode(json, versions), Duration.ofMillis(ttlMillis));
		}
		catch (DataAccessException ex) {
			if (this.settings.failOnRedisDown()) {
				throw new CacheUnavailableException(key, ex);
			}
			logger.warn("Cache write of '" + key + "' failed: " + ex.getMessage());
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
		Map<String, T> found = new LinkedHashMap<>();
		JavaType javaType = this.codec.javaType(type);
		for (String key : keys) {
			try {
				Lookup lookup = lookup(key, javaType);
				if (lookup.hit() && lookup.value() != null) {
					found.put(key, type.cast(lookup.value()));
				}
			}
			catch (DataAccessException ex) {
				if (this.settings.failOnRedisDown()) {
					throw new CacheUnavailableException(key, ex);
				}
			}
		}
		return found;
	}

	@Override
	public void setAll(Map<String, ?> entries, Duration ttl) {
		entries.forEach((key, value) -> set(key, value, ttl));
	}

	@Override
	public long invalidatePattern(String glob) {
		if (glob == null || glob.isEmpty()) {
			throw new IllegalArgumentException("The pattern must not be empty");
		}
		String pattern = this.keys.pattern(Feature.CACHE, glob);
		ScanOptions options = ScanOptions.scanOptions().match(pattern).count(500).build();
		long removed = 0;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			if (connection instanceof RedisClusterConnection cluster) {
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster()) {
						try (Cursor<byte[]> cursor = cluster.scan(node, options)) {
							removed += unlinkAll(cursor);
						}
					}
				}
			}
			else {
				try (Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
					removed += unlinkAll(cursor);
				}
			}
		}
		return removed;
	}

	/** UNLINKs in batches of 100 (per key on a Cluster, whose keys may sit in different slots). */
	private long unlinkAll(Cursor<byte[]> cursor) {
		long removed = 0;
		List<String> batch = new ArrayList<>(100);
		String tags = this.keys.key(Feature.CACHE, "tag", "");
		String locks = this.keys.key(Feature.CACHE, "lock", "");
		while (cursor.hasNext()) {
			String key = new String(cursor.next(), StandardCharsets.UTF_8);
			// Entries only: tag versions and load locks share the namespace and are not the caller's to remove.
			if (key.startsWith(tags) || key.startsWith(locks)) {
				continue;
			}
			batch.add(key);
			if (batch.size() == 100) {
				removed += unlink(batch);
				batch.clear();
			}
		}
		return removed + unlink(batch);
	}

	private long unlink(List<String> batch) {
		if (batch.isEmpty()) {
			return 0;
		}
		Long removed = this.redis.unlink(batch);
		return (removed != null) ? removed : 0;
	}

	@Override
	public void delete(String... keys) {
		List<String> entries = new ArrayList<>(keys.length);
		for (String key : keys) {
			checkKey(key);
			entries.add(entryKey(key));
		}
		this.redis.delete(entries);
	}

	@Override
	public long invalidateTags(String... tags) {
		long invalidated = 0;
		for (String tag : tags) {
			CacheEntry.checkTag(tag);
			if (Boolean.TRUE.equals(this.redis.delete(tagKey(tag)))) {
				invalidated++;
			}
		}
		return invalidated;
	}

	/** Reads an entry and checks its tags: one GET, plus one MGET for a tagged entry. */
	private Lookup lookup(String key, JavaType type) {
		checkKey(key);
		String entryKey = entryKey(key);
		byte[] stored = this.redis.opsForValue().get(entryKey);
		if (stored == null) {
			return Lookup.MISS;
		}
		CacheEntry entry = CacheEntry.decode(stored);
		if (!entry.tags().isEmpty()) {
			List<String> tagKeys = entry.tags().keySet().stream().map(this::tagKey).toList();
			List<byte[]> current = this.redis.opsForValue().multiGet(tagKeys);
			int i = 0;
			for (String version : entry.tags().values()) {
				byte[] now = (current != null) ? current.get(i++) : null;
				if (now == null || !Arrays.equals(now, version.getBytes(StandardCharsets.UTF_8))) {
					return Lookup.MISS;
				}
			}
		}
		if (entry.absent()) {
			return new Lookup(true, null);
		}
		Optional<Object> value = this.codec.read(entryKey, entry.json(), type);
		if (value.isEmpty()) {
			// Unreadable (counted by the codec): remove it, so that the next load replaces it.
			this.redis.delete(entryKey);
			return Lookup.MISS;
		}
		return new Lookup(true, value.get());
	}

	private long jitter(Duration ttl) {
		if (ttl == null || ttl.toMillis() < 1) {
			throw new IllegalArgumentException("A cache time to live must be at least 1 ms, was " + ttl);
		}
		double spread = this.settings.ttlJitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
		return Math.max(1, Math.round(ttl.toMillis() * (1 + spread)));
	}

	private String entryKey(String key) {
		return this.keys.key(Feature.CACHE, key);
	}

	private String tagKey(String tag) {
		return this.keys.key(Feature.CACHE, "tag", tag);
	}

	private static void checkKey(String key) {
		if (key == null || key.isEmpty()) {
			throw new IllegalArgumentException("A cache key must not be empty");
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

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(@Nullable Object reply) {
		return (reply instanceof byte[] raw) ? new String(raw, StandardCharsets.UTF_8) : String.valueOf(reply);
	}

	Duration nullTtl() {
		return this.settings.nullTtl();
	}

	/** What a load runs and how its value is cached. */
	private record Load<T>(Duration ttl, Supplier<T> loader, Function<? super T, ? extends Collection<String>> tagsOf,
			Predicate<? super T> cacheIf) {

		T run(RedisCacheService cache, String key) {
			T value = this.loader.get();
			if (this.cacheIf.test(value)) {
				if (value != null) {
					cache.set(key, value, this.ttl, this.tagsOf.apply(value).toArray(String[]::new));
				}
				else {
					cache.set(key, null, cache.nullTtl());
				}
			}
			return value;
		}

	}

	/** The outcome of a read: a hit (possibly a cached "absent", value {@code null}) or a miss. */
	private record Lookup(boolean hit, @Nullable Object value) {

		static final Lookup MISS = new Lookup(false, null);

	}

}
