package dev.redisstarter.benchmarks.streams;

/**
 * The entry every side consumes: about 110 bytes of JSON in the entry's {@code payload} field.
 *
 * @param seq the entry's number in the stream, from 0 (the listeners check that each arrives exactly once)
 * @param sensor a sensor name
 * @param site a site name
 * @param value a measured value
 * @param unit the value's unit
 * @param takenAt when it was measured, epoch milliseconds
 */
public record Reading(long seq, String sensor, String site, double value, String unit, long takenAt) {

	static Reading of(long seq) {
		return new Reading(seq, "sensor-" + (1000 + seq % 500), "plant-" + (seq % 7), 20 + (seq % 1000) / 100.0,
				"celsius", 1_764_633_600_000L + seq);
	}

}
