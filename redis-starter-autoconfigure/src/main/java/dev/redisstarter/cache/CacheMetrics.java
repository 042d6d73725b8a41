package dev.redisstarter.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Meters of the cache, each tagged {@code cache} (the part of the key before its first {@code ':'}) and
 * {@code result}:
 * <ul>
 * <li>{@code redis.starter.cache.gets}: hit, miss, corrupt (an unreadable value, a miss), refresh (a hit
 * chosen for early refresh);</li>
 * <li>{@code redis.starter.cache.loads} (timer): success, failure (the loader threw);</li>
 * <li>{@code redis.starter.cache.coalesced}: local (waited for a load in this JVM), remote (for another
 * instance's);</li>
 * <li>{@code redis.starter.cache.invalidations}: tag (tags invalidated, {@code cache} is {@code *}), key
 * (entries deleted, {@code *} when the keys span caches), pattern (entries removed);</li>
 * <li>{@code redis.starter.cache.redis.failures}: read, write (Redis failed; the caller was served anyway).</li>
 * </ul>
 * Decode failures are also counted by {@code redis.starter.codec.decode.failures}.
 */
public final class CacheMetrics {

	/** Counter of lookups. */
	public static final String GETS = "redis.starter.cache.gets";

	/** Timer of loader calls. */
	public static final String LOADS = "redis.starter.cache.loads";

	/** Counter of callers that waited for another's load instead of loading. */
	public static final String COALESCED = "redis.starter.cache.coalesced";

	/** Counter of invalidations. */
	public static final String INVALIDATIONS = "redis.starter.cache.invalidations";

	/** Counter of early refreshes whose loader failed (the cached value was served). */
	public static final String REFRESH_FAILURES = "redis.starter.cache.refresh.failures";

	/** Counter of loaded values served but not cached, tagged with why ({@code too-slow}: longer than the load timeout). */
	public static final String UNCACHED_LOADS = "redis.starter.cache.loads.uncached";

	/** The {@code cache} tag of keys without a cache name before a colon: one meter, not one per key. */
	public static final String NO_CACHE_NAME = "none";

	/** Counter of Redis failures answered without Redis. */
	public static final String REDIS_FAILURES = "redis.starter.cache.redis.failures";

	/** No meters at all. */
	public static final CacheMetrics NONE = new CacheMetrics(null);

	private final @Nullable MeterRegistry registry;

	private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();

	private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * Metrics into a registry.
	 * @param registry the registry, or {@code null} for none
	 */
	public CacheMetrics(@Nullable MeterRegistry registry) {
		this.registry = registry;
	}

	static String cacheOf(String key) {
		int colon = key.indexOf(':');
		return (colon > 0) ? key.substring(0, colon) : NO_CACHE_NAME;
	}

	void count(String meter, String cache, String result, long amount) {
		MeterRegistry meters = this.registry;
		if (meters == null || amount <= 0) {
			return;
		}
		MeterKey id = new MeterKey(meter, cache, result);
		Counter counter = this.counters.get(id);
		if (counter == null) {
			// A counter missing from DESCRIPTIONS registers undescribed, which MeterConventionsTests reports.
			Description described = DESCRIPTIONS.get(meter);
			counter = Counter.builder(meter)
				.description((described != null) ? described.text() : null)
				.baseUnit((described != null) ? described.unit() : null)
				.tag("cache", cache)
				.tag("outcome", result)
				.register(meters);
			this.counters.putIfAbsent(id, counter);
		}
		counter.increment(amount);
	}

	void count(String meter, String cache, String result) {
		count(meter, cache, result, 1);
	}

	void load(String cache, boolean success, long nanos) {
		MeterRegistry meters = this.registry;
		if (meters == null) {
			return;
		}
		String result = success ? "success" : "failure";
		MeterKey id = new MeterKey(LOADS, cache, result);
		Timer timer = this.timers.get(id);
		if (timer == null) {
			timer = Timer.builder(LOADS)
				.description("Loader calls and their time, by outcome: success or failure (the loader threw)")
				.tag("cache", cache)
				.tag("outcome", result)
				.register(meters);
			this.timers.putIfAbsent(id, timer);
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	/** What each counter counts, and in what unit. */
	private static final Map<String, Description> DESCRIPTIONS = Map.of(GETS,
			new Description("Cache lookups, by outcome: hit, miss, corrupt (an unreadable value, read as a miss) or"
					+ " refresh (a hit chosen for early refresh)", "lookups"),
			COALESCED,
			new Description("Callers that waited for another's load instead of loading, by outcome: local (a load in"
					+ " this JVM) or remote (another instance's)", "calls"),
			INVALIDATIONS,
			new Description("Invalidations, by outcome: tag (tags invalidated), key (entries deleted) or pattern"
					+ " (entries removed by pattern)", "invalidations"),
			REFRESH_FAILURES,
			new Description("Early refreshes whose loader failed; the cached value was served", "refreshes"),
			UNCACHED_LOADS,
			new Description("Loaded values served but not cached, by reason (too-slow: longer than the load timeout)",
					"loads"),
			REDIS_FAILURES, new Description("Redis failures answered without Redis, by outcome: read or write",
					"operations"));

	/** A counter's description and base unit. */
	private record Description(String text, String unit) {
	}

	/** Which meter: its name and tags. */
	private record MeterKey(String meter, String cache, String result) {
	}

}
