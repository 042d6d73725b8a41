package dev.redisstarter.ratelimit;

import dev.redisstarter.core.MeterSpec;
import dev.redisstarter.core.StarterMeter;

import static dev.redisstarter.core.MeterSpec.counter;
import static dev.redisstarter.core.MeterSpec.timer;
import static dev.redisstarter.core.MeterTag.NAME;
import static dev.redisstarter.core.MeterTag.OUTCOME;

/**
 * The rate limiter's meters, tagged with the limit's {@code name}.
 */
public enum RateLimitMeter implements StarterMeter {

	/** Decisions. */
	DECISIONS(counter("redis.starter.ratelimit.decisions", "decisions", "Rate-limit decisions, by outcome: allowed,"
			+ " rejected, blocked, exceeds-capacity, failed-open or failed-closed", NAME, OUTCOME)),

	/** Rejections answered from the local memo (also counted by {@link #DECISIONS}). */
	LOCAL_REJECTIONS(counter("redis.starter.ratelimit.rejections.local", "decisions", "Rejections answered without a"
			+ " Redis call, from a rejection this instance remembers until Redis's retry-after time (also counted in"
			+ " redis.starter.ratelimit.decisions)", NAME)),

	/** Time per decision. */
	LATENCY(timer("redis.starter.ratelimit.latency", "Time to decide on a request, Redis round trip included", NAME));

	private final MeterSpec spec;

	RateLimitMeter(MeterSpec spec) {
		this.spec = spec;
	}

	@Override
	public MeterSpec spec() {
		return this.spec;
	}

}
