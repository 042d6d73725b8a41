package dev.redisstarter.core;

import java.time.Duration;

/**
 * How the starter reacts to a Redis that fails: when its circuit opens and how it probes, and how the
 * liveness of its subscriptions is checked.
 *
 * @param failureThreshold calls in a row that fail to reach Redis (connection failures or expired deadlines)
 * before the circuit opens
 * @param openDuration how long the circuit stays open before each probe
 * @param probeTimeout how long a probe waits for Redis's answer
 * @param livenessInterval how often each subscription is checked with a {@code PING}
 * @param livenessTimeout how long that {@code PING} may take before the subscription is distrusted and replaced
 */
public record ResilienceSettings(int failureThreshold, Duration openDuration, Duration probeTimeout,
		Duration livenessInterval, Duration livenessTimeout) {

	/** The defaults: open after 3 failures in a row, probe every second (answer within 500 ms), check subscriptions every 5 s (1 s to answer). */
	public static final ResilienceSettings DEFAULTS = new ResilienceSettings(3, Duration.ofSeconds(1),
			Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(1));

	/** Checks every value. */
	public ResilienceSettings {
		if (failureThreshold < 1) {
			throw new IllegalArgumentException("failureThreshold must be at least 1, was " + failureThreshold);
		}
		Durations.requirePositive("openDuration", openDuration);
		Durations.requirePositive("probeTimeout", probeTimeout);
		Durations.requirePositive("livenessInterval", livenessInterval);
		Durations.requirePositive("livenessTimeout", livenessTimeout);
	}

	/**
	 * These settings with another liveness check.
	 * @param interval how often
	 * @param timeout how long a check may take
	 * @return new settings
	 */
	public ResilienceSettings withLiveness(Duration interval, Duration timeout) {
		return new ResilienceSettings(this.failureThreshold, this.openDuration, this.probeTimeout, interval, timeout);
	}

	/**
	 * These settings with another circuit.
	 * @param threshold failures in a row that open it
	 * @param open how long it stays open before a probe
	 * @return new settings
	 */
	public ResilienceSettings withCircuit(int threshold, Duration open) {
		return new ResilienceSettings(threshold, open, this.probeTimeout, this.livenessInterval, this.livenessTimeout);
	}

}
