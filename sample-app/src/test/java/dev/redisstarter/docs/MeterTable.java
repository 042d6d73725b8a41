package dev.redisstarter.docs;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;

import dev.redisstarter.autoconfigure.StarterMeters;
import dev.redisstarter.core.StarterMeter;

/**
 * The table of the starter's meters in docs/observability.md, between {@code <!-- meters:begin -->} and
 * {@code <!-- meters:end -->}, generated from {@link StarterMeters}; the starter's metrics classes build every meter
 * from the same enums, and MeterConventionsTests checks the registered meters against them.
 */
final class MeterTable {

	static final String BEGIN = "<!-- meters:begin -->";

	static final String END = "<!-- meters:end -->";

	private MeterTable() {
	}

	static String render() {
		StringBuilder table = new StringBuilder();
		table.append("| Meter | Type | Unit | Tags | Description |\n");
		table.append("| --- | --- | --- | --- | --- |\n");
		for (StarterMeter meter : StarterMeters.all()) {
			table.append("| `").append(meter.getName()).append("` | ")
				.append(meter.getType().name().toLowerCase(Locale.ROOT)).append(" | ")
				.append(unit(meter)).append(" | ")
				.append(keys(meter.getKeyNames())).append(" | ")
				.append(meter.getDescription().replace("|", "\\|")).append(" |\n");
		}
		return table.toString();
	}

	private static String unit(StarterMeter meter) {
		if (meter.getType() == Meter.Type.TIMER) {
			return "the registry's time unit";
		}
		return (meter.getBaseUnit() != null) ? meter.getBaseUnit() : "(a state)";
	}

	private static String keys(KeyName[] names) {
		return Arrays.stream(names).map((name) -> "`" + name.asString() + "`").collect(Collectors.joining(", "));
	}

}
