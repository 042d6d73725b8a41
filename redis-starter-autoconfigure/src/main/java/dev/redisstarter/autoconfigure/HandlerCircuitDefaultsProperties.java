package dev.redisstarter.autoconfigure;

import java.time.Duration;

import dev.redisstarter.messaging.HandlerCircuit;

/**
 * The circuit of every queue's or stream's consumers, under {@code ...defaults.circuit} (see
 * {@link HandlerCircuitProperties}): after failure-threshold distinct messages failed in a row it takes nothing and
 * dead-letters nothing for the pause, then lets one message probe; each failed probe doubles the pause, up to
 * max-pause. A class of its own, apart from the per-name one, so that the defaults are field initializers the
 * configuration metadata shows.
 */
public class HandlerCircuitDefaultsProperties {

	/**
	 * How many distinct messages (jobs or entries) in a row must fail to open the circuit; 0 turns it off (every
	 * failure then counts against its message).
	 */
	private int failureThreshold = 10;

	/**
	 * How long an open circuit takes nothing before one message probes; each failed probe doubles it.
	 */
	private Duration pause = Duration.ofSeconds(5);

	/**
	 * The longest pause.
	 */
	private Duration maxPause = Duration.ofMinutes(1);

	public int getFailureThreshold() {
		return this.failureThreshold;
	}

	public void setFailureThreshold(int failureThreshold) {
		this.failureThreshold = PropertyChecks.atLeast("circuit.failure-threshold", failureThreshold, 0);
	}

	public Duration getPause() {
		return this.pause;
	}

	public void setPause(Duration pause) {
		this.pause = PropertyChecks.positive("circuit.pause", pause);
	}

	public Duration getMaxPause() {
		return this.maxPause;
	}

	public void setMaxPause(Duration maxPause) {
		this.maxPause = PropertyChecks.positive("circuit.max-pause", maxPause);
	}

	/**
	 * These values as the circuit's settings.
	 * @return checked settings
	 * @throws IllegalArgumentException when a value cannot work
	 */
	HandlerCircuit.Settings settings() {
		return new HandlerCircuit.Settings(this.failureThreshold, this.pause, this.maxPause);
	}

}
