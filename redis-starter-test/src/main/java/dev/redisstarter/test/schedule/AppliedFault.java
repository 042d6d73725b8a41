package dev.redisstarter.test.schedule;

import java.time.Duration;
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
	 * How far a replica on the same host may lag behind its master when a failover begins: writes acknowledged
	 * earlier had replicated. Loopback replication lags by milliseconds; a second leaves room for a loaded machine.
	 */
	public static final Duration REPLICATION_LAG = Duration.ofSeconds(1);

	/**
	 * Whether an event may have lost its effect in this fault (its loss window): for Redis restarted empty, anything
	 * before it healed; for a failover ({@link FaultKind#SENTINEL_FAILOVER}, {@link FaultKind#CLUSTER_MASTER_KILLED}),
	 * what the old master acknowledged from {@link #REPLICATION_LAG} before the injection (not yet replicated when the
	 * replica was promoted) until the heal (a Sentinel's old master accepts writes until it is turned into a replica,
	 * and then drops them); never for the other kinds.
	 * @param at when the event happened
	 * @return whether it lies in this fault's loss window
	 */
	public boolean mayHaveLost(Instant at) {
		if (!this.fault.kind().losesData() || !at.isBefore(this.healed)) {
			return false;
		}
		return this.fault.kind() == FaultKind.RESTART_REDIS_EMPTY || !at.isBefore(this.injected.minus(REPLICATION_LAG));
	}

}
