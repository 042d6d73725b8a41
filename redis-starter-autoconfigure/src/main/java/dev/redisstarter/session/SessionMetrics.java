package dev.redisstarter.session;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import org.jspecify.annotations.Nullable;

/**
 * Counts session events in {@code redis.starter.session.events}, tagged {@code kind}: created, destroyed,
 * evicted (by the per-user limit), expired (found past the absolute lifetime on read). A gauge of live
 * sessions is not kept: it would need a scan.
 */
public final class SessionMetrics {

	private final Map<SessionEvent.Kind, Counter> counters = new EnumMap<>(SessionEvent.Kind.class);

	/**
	 * Metrics into a registry.
	 * @param registry the registry, or {@code null} for none
	 */
	public SessionMetrics(@Nullable MeterRegistry registry) {
		if (registry != null) {
			for (SessionEvent.Kind kind : SessionEvent.Kind.values()) {
				this.counters.put(kind, Counter.builder("redis.starter.session.events")
					.description("Session events, by outcome: created, destroyed, evicted (by the per-user limit)"
							+ " or expired (found past the absolute lifetime on read)")
					.baseUnit(BaseUnits.EVENTS)
					.tag("outcome", kind.name().toLowerCase(java.util.Locale.ROOT))
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
