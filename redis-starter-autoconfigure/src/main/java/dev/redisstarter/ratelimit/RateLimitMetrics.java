package dev.redisstarter.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Meters of rate-limit decisions: {@code redis.starter.ratelimit.decisions} (tags {@code name}, {@code result}:
 * allowed, rejected, blocked, exceeds-capacity, failed-open, failed-closed) and
 * {@code redis.starter.ratelimit.latency} (tag {@code name}). Meters are looked up once per name.
 */
public final class RateLimitMetrics {

	/** Counter of decisions. */
	public static final String DECISIONS = "redis.starter.ratelimit.decisions";

	/** Timer of decisions, Redis round trip included. */
	public static final String LATENCY = "redis.starter.ratelimit.latency";

	private final @Nullable MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * Metrics into a registry.
	 * @param registry the registry, or {@code null} for none
	 */
	public RateLimitMetrics(@Nullable MeterRegistry registry) {
		this.registry = registry;
	}

	void record(String name, RateLimitResult.Decision decision, long nanos) {
		MeterRegistry meters = this.registry;
		if (meters == null) {
			return;
		}
		String result = decision.name().toLowerCase(Locale.ROOT).replace('_', '-');
		this.counters.computeIfAbsent(name + '\u0000' + result, (k) -> Counter.builder(DECISIONS)
			.description("Rate-limit decisions, by outcome: allowed, rejected, blocked, exceeds-capacity, failed-open or failed-closed")
			.baseUnit("decisions")
			.tag("name", name)
			.tag("outcome", result)
			.register(meters)).increment();
		this.timers.computeIfAbsent(name, (k) -> Timer.builder(LATENCY)
			.description("Time to decide on a request, Redis round trip included")
			.tag("name", name)
			.register(meters)).record(Duration.ofNanos(nanos));
	}

}
