package dev.redisstarter.ratelimit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.MeterTag;

/**
 * Records the rate limiter's meters ({@link RateLimitMeter}); a limit's meters are registered together the first time
 * its name is used, so that a decision costs a map lookup and no allocation.
 */
public final class RateLimitMetrics {

	/** Counter of decisions. */
	public static final String DECISIONS = RateLimitMeter.DECISIONS.getName();

	/** Timer of decisions, Redis round trip included. */
	public static final String LATENCY = RateLimitMeter.LATENCY.getName();

	private static final String NAME = MeterTag.NAME.asString();

	private static final String OUTCOME = MeterTag.OUTCOME.asString();

	private final @Nullable MeterRegistry registry;

	/** Bounded by the application's limit names (policies and code), not by the limited keys. */
	private final Map<String, LimitMeters> byName = new ConcurrentHashMap<>();

	/**
	 * Metrics into a registry.
	 * @param registry the registry, or {@code null} for none
	 */
	public RateLimitMetrics(@Nullable MeterRegistry registry) {
		this.registry = registry;
	}

	void record(String name, RateLimitResult.Decision decision, long nanos) {
		LimitMeters meters = meters(name);
		if (meters != null) {
			meters.record(decision, nanos);
		}
	}

	/** A rejection answered from the local memo. */
	void recordLocal(String name, RateLimitResult.Decision decision, long nanos) {
		LimitMeters meters = meters(name);
		if (meters != null) {
			meters.record(decision, nanos);
			meters.local.increment();
		}
	}

	private @Nullable LimitMeters meters(String name) {
		MeterRegistry meters = this.registry;
		if (meters == null) {
			return null;
		}
		LimitMeters found = this.byName.get(name);
		return (found != null) ? found : this.byName.computeIfAbsent(name, (key) -> new LimitMeters(meters, key));
	}

	/** One limit's meters. */
	private static final class LimitMeters {

		private final Map<RateLimitResult.Decision, Counter> decisions = new EnumMap<>(RateLimitResult.Decision.class);

		private final Counter local;

		private final Timer latency;

		LimitMeters(MeterRegistry registry, String name) {
			for (RateLimitResult.Decision decision : RateLimitResult.Decision.values()) {
				String outcome = decision.name().toLowerCase(Locale.ROOT).replace('_', '-');
				this.decisions.put(decision,
						RateLimitMeter.DECISIONS.counterBuilder().tags(NAME, name, OUTCOME, outcome).register(registry));
			}
			this.local = RateLimitMeter.LOCAL_REJECTIONS.counterBuilder().tag(NAME, name).register(registry);
			this.latency = RateLimitMeter.LATENCY.timerBuilder().tag(NAME, name).register(registry);
		}

		void record(RateLimitResult.Decision decision, long nanos) {
			this.decisions.get(decision).increment();
			this.latency.record(Duration.ofNanos(nanos));
		}

	}

}
