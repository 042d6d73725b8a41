package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The value checks of the properties' setters, each throwing {@link InvalidPropertyException}. Unset (null)
 * values pass: they fall back to the defaults, which are checked themselves.
 */
final class PropertyChecks {

	private PropertyChecks() {
	}

	static <N extends Number> @Nullable N between(String property, @Nullable N value, long min, long max) {
		if (value != null && (value.longValue() < min || value.longValue() > max)) {
			throw new InvalidPropertyException(property, value, "from " + min + " to " + max);
		}
		return value;
	}

	static <N extends Number> @Nullable N atLeast(String property, @Nullable N value, long min) {
		if (value != null && value.longValue() < min) {
			throw new InvalidPropertyException(property, value, "at least " + min);
		}
		return value;
	}

	static @Nullable Double fraction(String property, @Nullable Double value, double max) {
		if (value != null && !(value >= 0.0 && value <= max)) {
			throw new InvalidPropertyException(property, value, "between 0 and " + ((max == 1.0) ? "1" : max));
		}
		return value;
	}

	static @Nullable Double multiplier(String property, @Nullable Double value) {
		if (value != null && (!(value >= 1.0) || value.isInfinite())) {
			throw new InvalidPropertyException(property, value, "at least 1 (1 for a fixed wait)");
		}
		return value;
	}

	static @Nullable Duration positive(String property, @Nullable Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			throw new InvalidPropertyException(property, value, "a positive duration");
		}
		return value;
	}

	static @Nullable Duration atLeastMillis(String property, @Nullable Duration value, long millis) {
		if (value != null && value.toMillis() < millis) {
			throw new InvalidPropertyException(property, value, "at least " + millis + "ms");
		}
		return value;
	}

}
