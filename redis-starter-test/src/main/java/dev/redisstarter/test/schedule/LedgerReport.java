package dev.redisstarter.test.schedule;

import java.util.List;
import java.util.Map;

/**
 * What a {@link LedgerCheck} found.
 *
 * @param schedule the schedule the run applied
 * @param accepted how many distinct messages were accepted (their enqueue or add returned)
 * @param handled how many distinct accepted messages were handled at least once
 * @param deadLettered how many distinct accepted messages sit in the dead letters
 * @param lost accepted messages neither handled nor dead-lettered, outside every loss window: each breaks the
 * invariant
 * @param lostInWindow accepted messages neither handled nor dead-lettered, accepted before a fault that loses data
 * healed: allowed, and counted
 * @param duplicates messages handled more than once, with how many times
 * @param duplicatesAllowed whether duplicates are allowed in this run
 * @param unconfirmed messages handled whose acceptance was not recorded (an enqueue that timed out but was applied):
 * counted, never a failure
 * @param outstanding what the run's outstanding-work probe reported last (pending, active, waiting): must be 0
 */
public record LedgerReport(FaultSchedule schedule, int accepted, int handled, int deadLettered, List<String> lost,
		List<String> lostInWindow, Map<String, Integer> duplicates, boolean duplicatesAllowed, List<String> unconfirmed,
		long outstanding) {

	/**
	 * Copies the collections.
	 * @param schedule the schedule
	 * @param accepted accepted
	 * @param handled handled
	 * @param deadLettered dead-lettered
	 * @param lost lost
	 * @param lostInWindow lost in a window
	 * @param duplicates duplicates
	 * @param duplicatesAllowed whether allowed
	 * @param unconfirmed unconfirmed
	 * @param outstanding outstanding
	 */
	public LedgerReport {
		lost = List.copyOf(lost);
		lostInWindow = List.copyOf(lostInWindow);
		duplicates = Map.copyOf(duplicates);
		unconfirmed = List.copyOf(unconfirmed);
	}

	/**
	 * Whether every invariant holds: nothing lost outside a loss window, duplicates only where allowed, nothing
	 * outstanding.
	 * @return whether the run passed
	 */
	public boolean holds() {
		return this.lost.isEmpty() && (this.duplicatesAllowed || this.duplicates.isEmpty()) && this.outstanding == 0;
	}

	/**
	 * Throws when an invariant is broken.
	 * @throws AssertionError with {@link #describe()}, which names the seed and how to replay it
	 */
	public void assertHolds() {
		if (!holds()) {
			throw new AssertionError(describe());
		}
	}

	/**
	 * The counts, the broken invariants with up to 20 ids each, and the seed with how to replay it.
	 * @return a report for a test's failure message or log
	 */
	public String describe() {
		StringBuilder text = new StringBuilder(holds() ? "Fault schedule held" : "Fault schedule broke an invariant");
		text.append(": seed ").append(this.schedule.seed()).append(" (replay: ").append(this.schedule.replayHint()).append(")\n");
		text.append(String.format("  accepted %d, handled %d, dead-lettered %d, lost %d, lost in a loss window %d, "
				+ "handled more than once %d%s, handled but not confirmed accepted %d, outstanding %d%n", this.accepted,
				this.handled, this.deadLettered, this.lost.size(), this.lostInWindow.size(), this.duplicates.size(),
				this.duplicatesAllowed ? " (allowed)" : " (not allowed)", this.unconfirmed.size(), this.outstanding));
		if (!this.lost.isEmpty()) {
			text.append("  lost: ").append(first(this.lost)).append('\n');
		}
		if (!this.duplicatesAllowed && !this.duplicates.isEmpty()) {
			text.append("  duplicates: ").append(first(List.copyOf(this.duplicates.entrySet()))).append('\n');
		}
		if (this.outstanding != 0) {
			text.append("  still outstanding after the settle time: ").append(this.outstanding).append('\n');
		}
		text.append(this.schedule);
		return text.toString();
	}

	private static String first(List<?> items) {
		return items.subList(0, Math.min(20, items.size())) + ((items.size() > 20) ? " ..." : "");
	}

}
