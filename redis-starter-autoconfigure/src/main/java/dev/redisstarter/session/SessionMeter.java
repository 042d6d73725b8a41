package dev.redisstarter.session;

import io.micrometer.core.instrument.binder.BaseUnits;

import dev.redisstarter.core.MeterSpec;
import dev.redisstarter.core.StarterMeter;

import static dev.redisstarter.core.MeterSpec.counter;
import static dev.redisstarter.core.MeterTag.OUTCOME;

/**
 * The sessions' meters. A gauge of live sessions is not kept: it would need a scan.
 */
public enum SessionMeter implements StarterMeter {

	/** Session events. */
	EVENTS(counter("redis.starter.session.events", BaseUnits.EVENTS, "Session events, by outcome: created, destroyed,"
			+ " evicted (by the per-user limit) or expired (found past the absolute lifetime on read)", OUTCOME));

	private final MeterSpec spec;

	SessionMeter(MeterSpec spec) {
		this.spec = spec;
	}

	@Override
	public MeterSpec spec() {
		return this.spec;
	}

}
