package dev.redisstarter.messaging.schedule;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;

/**
 * A worker's Micrometer readings at one moment, as {@link ScheduleWorker} records them in its ledger (one word:
 * {@code queue.started=12,queue.completed=11,...}): the job queue's counters {@code redis.starter.queue.started},
 * {@code .completed}, {@code .failed}, {@code .dead-lettered} and the count of the timer {@code .handling}; for
 * the stream's work group and its durable-topic group, {@code redis.starter.stream.delivered},
 * {@code .acknowledged}, {@code .failed}, {@code .dead-lettered} and the count of the timer {@code .handling}.
 *
 * @param values short names ({@code queue.started}, {@code work.acknowledged}, {@code topic.failed} ...) mapped
 * to counts
 */
record MeterReadings(Map<String, Long> values) {

	/** A process with no reading in its ledger (killed before its first one). */
	static final MeterReadings NONE = new MeterReadings(Map.of());

	MeterReadings {
		values = Map.copyOf(values);
	}

	static MeterReadings read(MeterRegistry registry) {
		Map<String, Long> values = new TreeMap<>();
		for (String counter : new String[] { "started", "completed", "failed", "dead-lettered" }) {
			values.put("queue." + counter, counters(registry.find("redis.starter.queue." + counter)
				.tag("queue", ScheduleApplication.QUEUE)));
		}
		values.put("queue.handling", timers(registry.find("redis.starter.queue.handling").tag("queue", ScheduleApplication.QUEUE)));
		readGroup(registry, values, "work", "work"::equals);
		readGroup(registry, values, "topic", (group) -> group.startsWith("topic:"));
		return new MeterReadings(values);
	}

	private static void readGroup(MeterRegistry registry, Map<String, Long> values, String as, Predicate<String> group) {
		for (String counter : new String[] { "delivered", "acknowledged", "failed", "dead-lettered" }) {
			values.put(as + "." + counter, counters(registry.find("redis.starter.stream." + counter)
				.tag("stream", ScheduleApplication.STREAM)
				.tag("group", group)));
		}
		values.put(as + ".handling", timers(registry.find("redis.starter.stream.handling")
			.tag("stream", ScheduleApplication.STREAM)
			.tag("group", group)));
	}

	private static long counters(Search search) {
		return Math.round(search.counters().stream().mapToDouble(Counter::count).sum());
	}

	private static long timers(Search search) {
		return search.timers().stream().mapToLong(Timer::count).sum();
	}

	/**
	 * The reading as one word for a ledger line.
	 * @return {@code name=count,name=count...}
	 */
	String toWord() {
		StringBuilder word = new StringBuilder();
		new TreeMap<>(this.values).forEach((name, count) -> word.append((word.length() > 0) ? "," : "").append(name)
			.append('=')
			.append(count));
		return word.toString();
	}

	static MeterReadings parse(String word) {
		Map<String, Long> values = new TreeMap<>();
		for (String pair : word.split(",")) {
			int equals = pair.indexOf('=');
			values.put(pair.substring(0, equals), Long.parseLong(pair.substring(equals + 1)));
		}
		return new MeterReadings(values);
	}

	/**
	 * One count.
	 * @param name the short name
	 * @return the count, 0 when the meter was not read
	 */
	long get(String name) {
		return this.values.getOrDefault(name, 0L);
	}

	@Override
	public String toString() {
		return toWord();
	}

}
