package dev.redisstarter.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.MeterTag;

/**
 * Records the rate limiter's meters ({@link RateLimitMeter}); meters are looked up once per name and outcome.
 */
public final class RateLimitMetrics {

	/** Counter of decisions. */
	public static final String DECISIONS = RateLimitMeter.DECISIONS.getName();

	/** Timer of decisions, Redis round trip included. */
	public static final String LATENCY = RateLimitMeter.LATENCY.getName();

	private static final String NAME = MeterTag.NAME.asString();

	private static final String OUTCOME = MeterTag.OUTCOME.asString();

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
		this.counters.computeIfAbsent(name + '\u0000' + result, (k) -> RateLimitMeter.DECISIONS.counterBuilder()
			.tags(NAME, name, OUTCOME, result)
			.register(meters)).increment();
		this.timers.computeIfAbsent(name, (k) -> RateLimitMeter.LATENCY.timerBuilder().tag(NAME, name).register(meters)).record(Duration.ofNanos(nanos));
	}

}
