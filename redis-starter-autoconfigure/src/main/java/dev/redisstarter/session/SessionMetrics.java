package dev.redisstarter.session;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.MeterTag;

/** Counts session events ({@link SessionMeter#EVENTS}), one counter per outcome. */
public final class SessionMetrics {

	private final Map<SessionEvent.Kind, Counter> counters = new EnumMap<>(SessionEvent.Kind.class);

	/**
	 * Metrics into a registry.
	 * @param registry the registry, or {@code null} for none
	 */
	public SessionMetrics(@Nullable MeterRegistry registry) {
		if (registry != null) {
			for (SessionEvent.Kind kind : SessionEvent.Kind.values()) {
				this.counters.put(kind, SessionMeter.EVENTS.counterBuilder()
					.tag(MeterTag.OUTCOME.asString(), kind.name().toLowerCase(java.util.Locale.ROOT))
					.register(registry));
			}
		}
	}

	void record(SessionEvent.Kind kind) {
		Counter counter = this.counters.get(kind);
		if (counter != null) {
			counter.increment();
		}
	}

}
