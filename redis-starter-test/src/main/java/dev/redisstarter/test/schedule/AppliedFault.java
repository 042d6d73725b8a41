package dev.redisstarter.test.schedule;

import java.time.Instant;

/**
 * A fault as a {@link FaultInjector} applied it, with the wall-clock times a {@link LedgerCheck} compares
 * ledger events with.
 *
 * @param fault the scheduled fault
 * @param injected when the injection began
 * @param healed when the heal completed (Redis answering again after a restart, the consumer started again)
 */
public record AppliedFault(ScheduledFault fault, Instant injected, Instant healed) {

	/**
	 * Whether an event may have lost its effect in this fault: the fault loses data and the event happened before
	 * it healed.
	 * @param at when the event happened
	 * @return whether it lies in this fault's loss window
	 */
	public boolean mayHaveLost(Instant at) {
		return this.fault.kind().losesData() && at.isBefore(this.healed);
	}

}
