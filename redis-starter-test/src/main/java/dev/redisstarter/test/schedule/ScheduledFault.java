package dev.redisstarter.test.schedule;

import java.time.Duration;

/**
 * One fault of a {@link FaultSchedule}.
 *
 * @param at when it is injected, from the start of the schedule
 * @param kind what fails
 * @param lasting how long it is held before it heals
 * @param target which consumer a consumer fault hits (taken modulo the number of consumers), or which master a
 * Cluster fault hits; ignored by the others
 */
public record ScheduledFault(Duration at, FaultKind kind, Duration lasting, int target) {

	/**
	 * Rejects negative times and targets.
	 * @param at when
	 * @param kind what
	 * @param lasting how long
	 * @param target which
	 */
	public ScheduledFault {
		if (at.isNegative() || lasting.isNegative() || target < 0) {
			throw new IllegalArgumentException("at, lasting and target must not be negative");
		}
	}

	/**
	 * When it has healed, from the start of the schedule (the heal itself may take longer, a restart say).
	 * @return {@code at + lasting}
	 */
	public Duration healsAt() {
		return this.at.plus(this.lasting);
	}

	@Override
	public String toString() {
		return String.format("%7.1fs %-20s for %4.1fs (target %d)", this.at.toMillis() / 1000.0, this.kind,
				this.lasting.toMillis() / 1000.0, this.target);
	}

}
