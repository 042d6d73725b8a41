package dev.redisstarter.docs;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.micrometer.common.docs.KeyName;

import dev.redisstarter.messaging.observation.MessagingObservation;

/**
 * The table of the starter's observations in docs/observability.md, between {@code <!-- observations:begin -->} and
 * {@code <!-- observations:end -->}, generated from {@link MessagingObservation} so that it cannot drift from the
 * code.
 */
final class ObservationTable {

	static final String BEGIN = "<!-- observations:begin -->";

	static final String END = "<!-- observations:end -->";

	private ObservationTable() {
	}

	static String render() {
		StringBuilder table = new StringBuilder();
		table.append("| Observation (and timer) | Contextual name | Low-cardinality keys (tags) | High-cardinality keys | Convention bean |\n");
		table.append("| --- | --- | --- | --- | --- |\n");
		for (MessagingObservation observation : MessagingObservation.values()) {
			table.append("| `").append(observation.defaultName()).append("` | `")
				.append(observation.defaultContextualName()).append("` | ")
				.append(keys(observation.getLowCardinalityKeyNames())).append(" | ")
				.append(keys(observation.getHighCardinalityKeyNames())).append(" | `")
				.append(observation.conventionType().getSimpleName()).append("` |\n");
		}
		return table.toString();
	}

	private static String keys(KeyName[] names) {
		return (names.length == 0) ? "" : Arrays.stream(names).map((name) -> "`" + name.asString() + "`")
			.collect(Collectors.joining(", "));
	}

}
