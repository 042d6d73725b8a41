package dev.redisstarter.core;

import static dev.redisstarter.core.MeterSpec.counter;
import static dev.redisstarter.core.MeterSpec.gauge;

/** The meters every capability shares: the circuit to Redis, the deadlines, the values that did not parse. */
public enum CoreMeter implements StarterMeter {

	/** A state, not a quantity: no base unit. */
	CIRCUIT_OPEN(gauge("redis.starter.circuit.open", null, "1 while the circuit to Redis is open (calls fail fast), else 0")),

	/** Counted by the circuit, read by Micrometer. */
	CIRCUIT_OPENINGS(counter("redis.starter.circuit.openings", "openings", "Times the circuit to Redis opened")),

	/** One meter for every capability, told apart by tag. */
	DEADLINES_EXPIRED(counter("redis.starter.deadlines.expired", "calls",
			"Calls to Redis whose deadline passed before Redis answered", MeterTag.CAPABILITY)),

	/** Tagged with the type expected, never the key (keys carry ids). */
	DECODE_FAILURES(counter("redis.starter.codec.decode.failures", "values",
			"Stored values that did not parse as the expected type and were read as absent", MeterTag.TYPE));

	private final MeterSpec spec;

	CoreMeter(MeterSpec spec) {
		this.spec = spec;
	}

	@Override
	public MeterSpec spec() {
		return this.spec;
	}

}
