package dev.redisstarter.core;

import java.util.List;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import org.jspecify.annotations.Nullable;

/**
 * What documents one meter: name, type, base unit ({@code null} for timers, which record time, and for gauges of a
 * state), description and tag keys.
 * @param name the meter's name, {@code redis.starter.<capability>.<noun>}
 * @param type counter, gauge or timer
 * @param baseUnit the unit of a counter or gauge, or {@code null}
 * @param description what it measures
 * @param keys its tag keys, the same on every meter of this name
 */
public record MeterSpec(String name, Meter.Type type, @Nullable String baseUnit, String description,
		List<KeyName> keys) {

	/**
	 * A counter.
	 * @param name the name
	 * @param baseUnit what it counts
	 * @param description what it measures
	 * @param keys the tag keys
	 * @return the spec
	 */
	public static MeterSpec counter(String name, String baseUnit, String description, KeyName... keys) {
		return new MeterSpec(name, Meter.Type.COUNTER, baseUnit, description, List.of(keys));
	}

	/**
	 * A gauge.
	 * @param name the name
	 * @param baseUnit its unit, or {@code null} for a state code
	 * @param description what it measures
	 * @param keys the tag keys
	 * @return the spec
	 */
	public static MeterSpec gauge(String name, @Nullable String baseUnit, String description, KeyName... keys) {
		return new MeterSpec(name, Meter.Type.GAUGE, baseUnit, description, List.of(keys));
	}

	/**
	 * A timer.
	 * @param name the name
	 * @param description what it times
	 * @param keys the tag keys
	 * @return the spec
	 */
	public static MeterSpec timer(String name, String description, KeyName... keys) {
		return new MeterSpec(name, Meter.Type.TIMER, null, description, List.of(keys));
	}

}
