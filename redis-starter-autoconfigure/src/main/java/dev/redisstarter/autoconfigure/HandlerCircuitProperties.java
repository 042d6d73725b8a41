package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.messaging.HandlerCircuit;

/**
 * A consumer's circuit (a job handler's or a stream listener's), under {@code ...circuit}: after failure-threshold
 * distinct messages failed in a row it takes nothing and dead-letters nothing for the pause, then lets one message
 * probe; each failed probe doubles the pause, up to max-pause. Unset values fall back to the defaults group's.
 */
public class HandlerCircuitProperties {

	/**
	 * How many distinct messages (jobs or entries) in a row must fail to open the circuit; 0 turns it off (every
	 * failure then counts against its message).
	 */
	private @Nullable Integer failureThreshold;

	/**
	 * How long an open circuit takes nothing before one message probes; each failed probe doubles it.
	 */
	private @Nullable Duration pause;

	/**
	 * The longest pause.
	 */
	private @Nullable Duration maxPause;

	public @Nullable Integer getFailureThreshold() {
		return this.failureThreshold;
	}

	public void setFailureThreshold(@Nullable Integer failureThreshold) {
		this.failureThreshold = PropertyChecks.atLeast("circuit.failure-threshold", failureThreshold, 0);
	}

	public @Nullable Duration getPause() {
		return this.pause;
	}

	public void setPause(@Nullable Duration pause) {
		this.pause = PropertyChecks.positive("circuit.pause", pause);
	}

	public @Nullable Duration getMaxPause() {
		return this.maxPause;
	}

	public void setMaxPause(@Nullable Duration maxPause) {
		this.maxPause = PropertyChecks.positive("circuit.max-pause", maxPause);
	}

	/**
	 * These values over a base; the settings' messages name the property ("circuit max-pause ..."), the caller
	 * prefixes the queue's or stream's.
	 * @param base what unset values fall back to
	 * @return checked settings
	 * @throws IllegalArgumentException when a value cannot work
	 */
	HandlerCircuit.Settings over(HandlerCircuit.Settings base) {
		return new HandlerCircuit.Settings((this.failureThreshold != null) ? this.failureThreshold : base.failureThreshold(),
				(this.pause != null) ? this.pause : base.pause(), (this.maxPause != null) ? this.maxPause : base.maxPause());
	}

}
