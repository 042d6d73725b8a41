package dev.redisstarter.test.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Checks the delivery invariants of a run from the ledgers of its run directory and the state of Redis:
 * <ol>
 * <li>every message whose enqueue or add returned ({@link EventLedger#ACCEPTED}) is handled at least once
 * ({@link EventLedger#HANDLED}) or sits in the dead letters; a message accepted in the loss window
 * ({@link AppliedFault#mayHaveLost}) of a fault that loses data ({@link FaultKind#losesData()}) may be lost, and is
 * counted apart;</li>
 * <li>duplicates (a message handled more than once) only when allowed, and always counted;</li>
 * <li>nothing stays outstanding (pending, active, waiting: whatever the probe counts) after the schedule healed.</li>
 * </ol>
 * Since consumers finish the backlog some time after the schedule ends, {@link #awaitHolds(Duration)} re-reads
 * everything until the invariants hold or the settle time is over:
 * <pre>{@code
 * LedgerCheck.of(runDirectory, schedule, applied)
 *     .deadLetters(() -> deadLetterIds())
 *     .outstanding(() -> counts.waiting() + counts.delayed() + counts.active())
 *     .awaitHolds(Duration.ofSeconds(60));      // AssertionError naming the seed and how to replay it
 * }</pre>
 */
public final class LedgerCheck {

	private final Path runDirectory;

	private final FaultSchedule schedule;

	private final List<AppliedFault> applied;

	private String acceptedEvent = EventLedger.ACCEPTED;

	private String handledEvent = EventLedger.HANDLED;

	private Supplier<? extends Collection<String>> deadLetters = Set::of;

	private LongSupplier outstanding = () -> 0;

	private boolean duplicatesAllowed = true;

	private LedgerCheck(Path runDirectory, FaultSchedule schedule, List<AppliedFault> applied) {
		this.runDirectory = runDirectory;
		this.schedule = schedule;
		this.applied = List.copyOf(applied);
	}

	/**
	 * A check of a run.
	 * @param runDirectory the run directory the processes' ledgers are in
	 * @param schedule the schedule the run applied
	 * @param applied the faults as {@link FaultInjector#run(FaultSchedule)} applied them (their times give the loss
	 * windows)
	 * @return the check, duplicates allowed and nothing outstanding by default
	 */
	public static LedgerCheck of(Path runDirectory, FaultSchedule schedule, List<AppliedFault> applied) {
		return new LedgerCheck(runDirectory, schedule, applied);
	}

	/**
	 * Other event names, for a run whose ledgers record several kinds of messages (jobs and stream entries).
	 * @param accepted the event recorded when an enqueue or add returned
	 * @param handled the event recorded when a message was handled
	 * @return this check
	 */
	public LedgerCheck events(String accepted, String handled) {
		this.acceptedEvent = accepted;
		this.handledEvent = handled;
		return this;
	}

	/**
	 * The ids of the messages in the dead letters, read again at each evaluation.
	 * @param ids the ids (the application's, as recorded in the ledger)
	 * @return this check
	 */
	public LedgerCheck deadLetters(Supplier<? extends Collection<String>> ids) {
		this.deadLetters = ids;
		return this;
	}

	/**
	 * How much work Redis still holds (pending entries, active and waiting jobs), read again at each evaluation;
	 * it must reach 0.
	 * @param probe the probe
	 * @return this check
	 */
	public LedgerCheck outstanding(LongSupplier probe) {
		this.outstanding = probe;
		return this;
	}

	/**
	 * Makes any message handled twice a failure (a schedule without faults that may duplicate).
	 * @return this check
	 */
	public LedgerCheck noDuplicates() {
		this.duplicatesAllowed = false;
		return this;
	}

	/**
	 * Evaluates the invariants once, as things stand.
	 * @return the report
	 */
	public LedgerReport evaluate() {
		LedgerEvents events = LedgerEvents.read(this.runDirectory);
		Map<String, Instant> accepted = events.firstTimes(this.acceptedEvent);
		Map<String, Integer> handled = events.counts(this.handledEvent);
		Set<String> dead = Set.copyOf(this.deadLetters.get());
		List<String> lost = new ArrayList<>();
		List<String> lostInWindow = new ArrayList<>();
		accepted.forEach((id, at) -> {
			if (!handled.containsKey(id) && !dead.contains(id)) {
				(inLossWindow(at) ? lostInWindow : lost).add(id);
			}
		});
		Map<String, Integer> duplicates = handled.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() > 1)
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		List<String> unconfirmed = handled.keySet().stream().filter((id) -> !accepted.containsKey(id)).toList();
		int handledAccepted = (int) accepted.keySet().stream().filter(handled::containsKey).count();
		int deadAccepted = (int) accepted.keySet().stream().filter(dead::contains).count();
		return new LedgerReport(this.schedule, accepted.size(), handledAccepted, deadAccepted, lost, lostInWindow, duplicates,
				this.duplicatesAllowed, unconfirmed, this.outstanding.getAsLong());
	}

	private boolean inLossWindow(Instant at) {
		return this.applied.stream().anyMatch((fault) -> fault.mayHaveLost(at));
	}

	/**
	 * Evaluates until the invariants hold, for at most the settle time.
	 * @param settle how long consumers may take to finish after the schedule healed
	 * @return the report that held
	 * @throws AssertionError with the last report, naming the seed and how to replay it
	 */
	public LedgerReport awaitHolds(Duration settle) {
		long deadline = System.nanoTime() + settle.toNanos();
		while (true) {
			LedgerReport report = evaluate();
			if (report.holds()) {
				return report;
			}
			// A duplicate never goes away: waiting longer cannot help.
			if (System.nanoTime() > deadline || (!report.duplicatesAllowed() && !report.duplicates().isEmpty())) {
				throw new AssertionError("After a settle time of " + settle + ": " + report.describe());
			}
			JvmProcess.sleep(Duration.ofMillis(500));
		}
	}

}
