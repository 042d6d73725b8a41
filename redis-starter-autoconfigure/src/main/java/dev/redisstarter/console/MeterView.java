package dev.redisstarter.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.cache.CacheMeter;
import dev.redisstarter.core.StarterMeter;
import dev.redisstarter.lock.LockMeter;
import dev.redisstarter.ratelimit.RateLimitMeter;
import dev.redisstarter.session.SessionMeter;

/**
 * Caches, rate limits, locks and sessions as this instance's meters show them (the meters each capability declares
 * in its {@link StarterMeter} enum): no Redis call. Per meter and tag set, its count (and total time for timers);
 * per cache, its hit ratio from {@code redis.starter.cache.gets}.
 */
public final class MeterView {

	/**
	 * One meter with one set of tags.
	 *
	 * @param meter the meter's name
	 * @param tags its tags
	 * @param count its count (a gauge's value)
	 * @param totalMillis a timer's total time, else {@code null}
	 */
	public record Row(String meter, Map<String, String> tags, double count, @Nullable Double totalMillis) {
	}

	/**
	 * A cache's lookups.
	 *
	 * @param hits lookups that found a value
	 * @param misses lookups that did not
	 * @param hitRatio hits over hits and misses, {@code null} before the first lookup
	 */
	public record CacheRatio(double hits, double misses, @Nullable Double hitRatio) {
	}

	/**
	 * Every capability's meters.
	 *
	 * @param metersPresent whether a meter registry is there
	 * @param caches per cache, its hit ratio
	 * @param groups per capability ({@code caches}, {@code limits}, {@code locks}, {@code sessions}), its rows
	 */
	public record Meters(boolean metersPresent, Map<String, CacheRatio> caches, Map<String, List<Row>> groups) {
	}

	private static final Map<String, List<? extends StarterMeter>> GROUPS = groups();

	private final @Nullable MeterRegistry registry;

	MeterView(@Nullable MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The meters now.
	 * @return per capability
	 */
	public Meters meters() {
		Map<String, List<Row>> groups = new LinkedHashMap<>();
		Map<String, CacheRatio> caches = new TreeMap<>();
		if (this.registry == null) {
			GROUPS.keySet().forEach((group) -> groups.put(group, List.of()));
			return new Meters(false, caches, groups);
		}
		GROUPS.forEach((group, meters) -> {
			List<Row> rows = new ArrayList<>();
			for (StarterMeter meter : meters) {
				for (Meter registered : this.registry.find(meter.getName()).meters()) {
					rows.add(row(registered));
				}
			}
			groups.put(group, rows);
		});
		Map<String, double[]> lookups = new TreeMap<>();
		for (Row row : groups.get("caches")) {
			if (row.meter().equals(CacheMeter.GETS.getName())) {
				double[] counts = lookups.computeIfAbsent(String.valueOf(row.tags().get("cache")), (name) -> new double[2]);
				String outcome = String.valueOf(row.tags().get("outcome"));
				if (outcome.equals("hit") || outcome.equals("refresh")) {
					counts[0] += row.count();
				}
				else {
					counts[1] += row.count();
				}
			}
		}
		lookups.forEach((name, counts) -> caches.put(name, new CacheRatio(counts[0], counts[1],
				(counts[0] + counts[1] > 0) ? counts[0] / (counts[0] + counts[1]) : null)));
		return new Meters(true, caches, groups);
	}

	private static Row row(Meter meter) {
		Map<String, String> tags = new LinkedHashMap<>();
		for (Tag tag : meter.getId().getTags()) {
			tags.put(tag.getKey(), tag.getValue());
		}
		String name = meter.getId().getName();
		if (meter instanceof Timer timer) {
			return new Row(name, tags, timer.count(), timer.totalTime(TimeUnit.MILLISECONDS));
		}
		if (meter instanceof Counter counter) {
			return new Row(name, tags, counter.count(), null);
		}
		if (meter instanceof FunctionCounter counter) {
			return new Row(name, tags, counter.count(), null);
		}
		if (meter instanceof Gauge gauge) {
			return new Row(name, tags, gauge.value(), null);
		}
		double first = 0;
		for (var measurement : meter.measure()) {
			first = measurement.getValue();
			break;
		}
		return new Row(name, tags, first, null);
	}

	private static Map<String, List<? extends StarterMeter>> groups() {
		Map<String, List<? extends StarterMeter>> groups = new LinkedHashMap<>();
		groups.put("caches", List.of(CacheMeter.values()));
		groups.put("limits", List.of(RateLimitMeter.values()));
		groups.put("locks", List.of(LockMeter.values()));
		groups.put("sessions", List.of(SessionMeter.values()));
		return groups;
	}

}
