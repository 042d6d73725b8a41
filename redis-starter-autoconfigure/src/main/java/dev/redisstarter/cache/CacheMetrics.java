package dev.redisstarter.cache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.MeterTag;

/**
 * Records the cache's meters ({@link CacheMeter}), each tagged {@code cache} and {@code outcome}; meters are looked
 * up once per cache and outcome.
 */
public final class CacheMetrics {

	/** Counter of lookups. */
	public static final String GETS = CacheMeter.GETS.getName();

	/** Timer of loader calls. */
	public static final String LOADS = CacheMeter.LOADS.getName();

	/** Counter of callers that waited for another's load instead of loading. */
	public static final String COALESCED = CacheMeter.COALESCED.getName();

	/** Counter of invalidations. */
	public static final String INVALIDATIONS = CacheMeter.INVALIDATIONS.getName();

	/** Counter of early refreshes whose loader failed (the cached value was served). */
	public static final String REFRESH_FAILURES = CacheMeter.REFRESH_FAILURES.getName();

	/** Counter of loaded values served but not cached, tagged with why ({@code too-slow}: longer than the load timeout). */
	public static final String UNCACHED_LOADS = CacheMeter.UNCACHED_LOADS.getName();

	/** The {@code cache} tag of keys without a cache name before a colon: one meter, not one per key. */
	public static final String NO_CACHE_NAME = "none";

	/** Counter of Redis failures answered without Redis. */
	public static final String REDIS_FAILURES = CacheMeter.REDIS_FAILURES.getName();

	private static final String CACHE_TAG = MeterTag.CACHE.asString();

	private static final String OUTCOME_TAG = MeterTag.OUTCOME.asString();

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

	void count(CacheMeter meter, String cache, String result, long amount) {
		MeterRegistry meters = this.registry;
		if (meters == null || amount <= 0) {
			return;
		}
		MeterKey id = new MeterKey(meter, cache, result);
		Counter counter = this.counters.get(id);
		if (counter == null) {
			counter = meter.counterBuilder()
				.tag(CACHE_TAG, cache)
				.tag(OUTCOME_TAG, result)
				.register(meters);
			this.counters.putIfAbsent(id, counter);
		}
		counter.increment(amount);
	}

	void count(CacheMeter meter, String cache, String result) {
		count(meter, cache, result, 1);
	}

	/**
	 * A counter to increment directly on a hot path, or {@code null} without a registry.
	 * @param outcome the {@code outcome} tag, or {@code null} for a meter without one
	 */
	@Nullable Counter resolvedCounter(CacheMeter meter, String cache, @Nullable String outcome) {
		MeterRegistry meters = this.registry;
		if (meters == null) {
			return null;
		}
		Counter.Builder builder = meter.counterBuilder().tag(CACHE_TAG, cache);
		if (outcome != null) {
			builder.tag(OUTCOME_TAG, outcome);
		}
		return builder.register(meters);
	}

	/** Registers a gauge of a cache (once per cache and object). */
	<T> void registerGauge(CacheMeter meter, String cache, T object, java.util.function.ToDoubleFunction<T> value) {
		MeterRegistry meters = this.registry;
		if (meters != null) {
			meter.gaugeBuilder(object, value).tag(CACHE_TAG, cache).register(meters);
		}
	}

	void load(String cache, boolean success, long nanos) {
		MeterRegistry meters = this.registry;
		if (meters == null) {
			return;
		}
		String result = success ? "success" : "failure";
		MeterKey id = new MeterKey(CacheMeter.LOADS, cache, result);
		Timer timer = this.timers.get(id);
		if (timer == null) {
			timer = CacheMeter.LOADS.timerBuilder().tag(CACHE_TAG, cache).tag(OUTCOME_TAG, result).register(meters);
			this.timers.putIfAbsent(id, timer);
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	/** Which meter: its name and tags. */
	private record MeterKey(CacheMeter meter, String cache, String result) {
	}

}
