package dev.redisstarter.core;

import java.util.function.ToDoubleFunction;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.docs.MeterDocumentation;
import org.jspecify.annotations.Nullable;

/**
 * One meter of the starter, documented in the style of Micrometer's {@link MeterDocumentation}. Each capability
 * declares its meters in an enum of these, and its metrics class builds every meter through {@link #counterBuilder()},
 * {@link #timerBuilder()}, {@link #gaugeBuilder} or {@link #functionCounterBuilder}, so the meter table in docs/observability.md (generated
 * from the enums) and the registered meters cannot disagree ({@code MeterConventionsTests} checks the registered
 * meters against the enums).
 */
public interface StarterMeter extends MeterDocumentation {

	/**
	 * The documentation of this meter.
	 * @return its spec
	 */
	MeterSpec spec();

	@Override
	default String getName() {
		return spec().name();
	}

	@Override
	default Meter.Type getType() {
		return spec().type();
	}

	@Override
	default @Nullable String getBaseUnit() {
		return spec().baseUnit();
	}

	@Override
	default KeyName[] getKeyNames() {
		return spec().keys().toArray(KeyName[]::new);
	}

	/**
	 * What the meter measures, as registered with the meter.
	 * @return the description
	 */
	default String getDescription() {
		return spec().description();
	}

	/**
	 * A counter builder with the name, description and base unit filled in; the caller adds the tag values.
	 * @return the builder
	 */
	default Counter.Builder counterBuilder() {
		return Counter.builder(getName()).description(getDescription()).baseUnit(getBaseUnit());
	}

	/**
	 * A timer builder with the name and description filled in (a timer records time: no base unit to declare).
	 * @return the builder
	 */
	default Timer.Builder timerBuilder() {
		return Timer.builder(getName()).description(getDescription());
	}

	/**
	 * A gauge builder with the name, description and base unit filled in.
	 * @param <T> the type of the observed object
	 * @param state the observed object
	 * @param value reads the gauge's value from it
	 * @return the builder
	 */
	default <T> Gauge.Builder<T> gaugeBuilder(T state, ToDoubleFunction<T> value) {
		return Gauge.builder(getName(), state, value).description(getDescription()).baseUnit(getBaseUnit());
	}

	/**
	 * A function counter builder (a count kept elsewhere) with the name, description and base unit filled in.
	 * @param <T> the type of the observed object
	 * @param state the observed object
	 * @param count reads the count from it
	 * @return the builder
	 */
	default <T> FunctionCounter.Builder<T> functionCounterBuilder(T state, ToDoubleFunction<T> count) {
		return FunctionCounter.builder(getName(), state, count).description(getDescription()).baseUnit(getBaseUnit());
	}

}
