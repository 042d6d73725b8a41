package dev.redisstarter.messaging.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import dev.redisstarter.test.schedule.AppliedFault;
import dev.redisstarter.test.schedule.FaultKind;
import dev.redisstarter.test.schedule.FaultSchedule;
import dev.redisstarter.test.schedule.JvmProcess;
import dev.redisstarter.test.schedule.LedgerEvent;
import dev.redisstarter.test.schedule.LedgerEvents;

/**
 * The workers' Micrometer meters against the ledgers, after a schedule healed and the work settled.
 *
 * <p>For each worker process that is still running (its last reading was taken while it was idle), exactly:
 * {@code redis.starter.queue.started} is the number of jobs its handler started, {@code .failed} the number it
 * started and did not finish, and the work group's {@code redis.starter.stream.failed} likewise for entries. At most:
 * {@code .completed} counts no more jobs than it handled (a completion is refused when the lease was lost meanwhile),
 * {@code .acknowledged} no more entries than it handled (work group and durable topic), and the {@code .handling}
 * timers and {@code delivered} at least as many calls as it started.
 *
 * <p>Over all processes, each process by its last reading (a killed process's is up to 200 ms old): every job handled
 * and not dead-lettered was completed exactly once in Redis, so the sum of {@code .completed} equals the number of
 * such jobs, give or take what the readings cannot show: completions a killed process wrote after its last reading
 * (at most what it handled beyond what it had counted), and jobs whose handling overlapped a loss window (their
 * records may have been lost before the completion). The same for the work group's acknowledged entries, where an
 * entry added twice (an add that timed out but was applied, retried: a duplicate the README allows) may count twice,
 * and so may an entry handled twice (two consumers' acknowledgements may each count it). So without a
 * loss window and without a killed process the sums are exact (but for those duplicate adds). A completion whose
 * reply a fault lost is counted by its retry, the starter's or Lettuce's re-send after a reconnect (complete.lua
 * answers "already completed by this attempt"), so lost replies are no allowance for jobs: their sum is checked both
 * ways in every schedule. What a lost reply still hides: a completion whose job record was trimmed (completed
 * max-count) or lost before the retry, which needs more completions than the run has or a loss window (allowed for).
 * Entries: the starter's retry of a failed XACK counts an entry an earlier attempt may have acknowledged, but an XACK
 * Lettuce re-sent by itself after a reconnect answers 0 as a success, so the acknowledged sum is checked from below
 * only when no reply can be lost ({@link #repliesMayBeLost()}).
 *
 * <p>Without a loss window and without a killed process, the dead-lettered counters sum to the dead letters listed,
 * checked only when no fault can lose a reply ({@link #repliesMayBeLost()}): a stream entry's dead-lettering is written
 * once, not retried, so one Redis applied whose reply was lost is not counted (the queue's {@code fail.lua} answers a
 * retry with what it did, so the queue's counter would hold).
 */
final class MeterCheck {

	private final FaultSchedule schedule;

	private final List<AppliedFault> applied;

	private final List<String> violations = new ArrayList<>();

	private final List<String> summary = new ArrayList<>();

	private MeterCheck(FaultSchedule schedule, List<AppliedFault> applied) {
		this.schedule = schedule;
		this.applied = applied;
	}

	/**
	 * Evaluates the meters as things stand.
	 * @param events every ledger line of the run
	 * @param workers the worker processes (their current pid is the surviving one)
	 * @param schedule the schedule
	 * @param applied the faults as applied (their loss windows)
	 * @param deadJobs the ids of the queue's dead letters
	 * @param deadEntries the ids of the stream's dead letters
	 * @return the check, with its violations and its summary
	 */
	static MeterCheck evaluate(LedgerEvents events, List<JvmProcess> workers, FaultSchedule schedule,
			List<AppliedFault> applied, Set<String> deadJobs, Set<String> deadEntries) {
		MeterCheck check = new MeterCheck(schedule, applied);
		check.check(events, workers, deadJobs, deadEntries);
		return check;
	}

	boolean holds() {
		return this.violations.isEmpty();
	}

	String describe() {
		return (holds() ? "Meters agree with the ledgers" : "Meters disagree with the ledgers") + ": seed "
				+ this.schedule.seed() + " (replay: " + this.schedule.replayHint() + ")\n  "
				+ String.join("\n  ", this.violations) + (this.violations.isEmpty() ? "" : "\n  ")
				+ String.join("\n  ", this.summary);
	}

	private void check(LedgerEvents events, List<JvmProcess> workers, Set<String> deadJobs, Set<String> deadEntries) {
		Map<Long, Process> survivors = new LinkedHashMap<>();
		Map<Long, Process> killed = new LinkedHashMap<>();
		for (JvmProcess worker : workers) {
			LedgerEvents own = events.byProcess(worker.spec().name());
			OptionalLong current = worker.pid();
			Set<Long> pids = own.events().stream().map(LedgerEvent::pid).collect(Collectors.toCollection(TreeSet::new));
			for (long pid : pids) {
				Process process = Process.of(worker.spec().name(), pid, own);
				((current.isPresent() && current.getAsLong() == pid) ? survivors : killed).put(pid, process);
			}
			if (current.isEmpty()) {
				this.violations.add(worker.spec().name() + " is not running after the schedule healed");
			}
		}
		survivors.values().forEach(this::checkSurvivor);
		List<Process> all = new ArrayList<>(survivors.values());
		all.addAll(killed.values());
		checkSums(events, all, killed.values(), deadJobs, deadEntries);
		this.summary.add(survivors.size() + " surviving and " + killed.size() + " killed worker processes");
	}

	private void checkSurvivor(Process process) {
		MeterReadings meters = process.last();
		String who = process.name() + " (pid " + process.pid() + ", reading " + meters + ")";
		exactly(who, "queue.started", meters.get("queue.started"), "jobs it started", process.jobsStarted());
		exactly(who, "queue.failed", meters.get("queue.failed"), "jobs it started and did not finish",
				process.jobsStarted() - process.jobsHandled());
		atMost(who, "queue.completed", meters.get("queue.completed"), "jobs it handled", process.jobsHandled());
		atLeast(who, "queue.handling (timer count)", meters.get("queue.handling"), "jobs it started", process.jobsStarted());
		exactly(who, "work.failed", meters.get("work.failed"), "entries it started and did not finish",
				process.entriesStarted() - process.entriesHandled());
		atMost(who, "work.acknowledged", meters.get("work.acknowledged"), "entries it handled", process.entriesHandled());
		atLeast(who, "work.handling (timer count)", meters.get("work.handling"), "entries it started",
				process.entriesStarted());
		atLeast(who, "work.delivered", meters.get("work.delivered"), "handler calls (work.handling)",
				meters.get("work.handling"));
		exactly(who, "topic.failed", meters.get("topic.failed"), "durable-topic failures (its handler never fails)", 0);
		atMost(who, "topic.acknowledged", meters.get("topic.acknowledged"), "entries its durable topic handled",
				process.topicHandled());
		this.summary.add(String.format("%s pid %d: started/handled/completed jobs %d/%d/%d, entries %d/%d/%d acknowledged",
				process.name(), process.pid(), process.jobsStarted(), process.jobsHandled(), meters.get("queue.completed"),
				process.entriesStarted(), process.entriesHandled(), meters.get("work.acknowledged")));
	}

	private void checkSums(LedgerEvents events, List<Process> all, Collection<Process> killed, Set<String> deadJobs,
			Set<String> deadEntries) {
		Map<String, Instant> accepted = new LinkedHashMap<>(events.firstTimes(Producer.JOB_ACCEPTED));
		accepted.putAll(events.firstTimes(Producer.ENTRY_ACCEPTED));
		sum("jobs", "queue.completed", events, ScheduleWorker.JOB_STARTED, ScheduleWorker.JOB_HANDLED, deadJobs, accepted,
				all, killed, Process::jobsHandled);
		sum("entries", "work.acknowledged", events, ScheduleWorker.ENTRY_STARTED, ScheduleWorker.ENTRY_HANDLED, deadEntries,
				accepted, all, killed, Process::entriesHandled);
		boolean lossy = this.applied.stream().anyMatch((fault) -> fault.fault().kind().losesData());
		for (String[] dead : new String[][] { { "queue.dead-lettered", "jobs" }, { "work.dead-lettered", "entries" } }) {
			long counted = all.stream().mapToLong((process) -> process.last().get(dead[0])).sum();
			long listed = dead[1].equals("jobs") ? deadJobs.size() : deadEntries.size();
			if (!lossy && counted > listed) {
				this.violations.add("the " + dead[0] + " counters sum to " + counted + ", more than the " + listed
						+ " dead letters listed");
			}
			if (!lossy && killed.isEmpty() && !repliesMayBeLost() && counted != listed) {
				this.violations.add("the " + dead[0] + " counters sum to " + counted + ", not the " + listed
						+ " dead letters listed");
			}
		}
	}

	/**
	 * The sum of a counter that counts each message once in Redis (a completion, an acknowledgement), against the
	 * messages handled and not dead-lettered. From below, a message may be missing only when its handling overlapped a
	 * loss window ({@link #handlingMayHaveLostItsRecord}), not merely because it was accepted in one.
	 */
	private void sum(String what, String meter, LedgerEvents events, String startedEvent, String handledEvent,
			Set<String> dead, Map<String, Instant> accepted, List<Process> all, Collection<Process> killed,
			ToLongFunction<Process> handledBy) {
		Map<String, Integer> handled = events.counts(handledEvent);
		Map<String, Instant> firstStarted = events.firstTimes(startedEvent);
		Map<String, Instant> lastHandled = new LinkedHashMap<>();
		events.of(handledEvent).forEach((event) -> lastHandled.merge(event.id(), event.at(),
				(one, other) -> one.isAfter(other) ? one : other));
		long done = handled.keySet().stream().filter((id) -> !dead.contains(id)).count();
		long counted = all.stream().mapToLong((process) -> process.last().get(meter)).sum();
		long unread = killed.stream().mapToLong((process) -> Math.max(0, handledBy.applyAsLong(process) - process.last().get(meter)))
			.sum();
		long inLossWindow = handled.keySet().stream().filter((id) -> !dead.contains(id))
			.filter((id) -> handlingMayHaveLostItsRecord(firstStarted.get(id), lastHandled.get(id)))
			.count();
		// Counted twice: a job only when a loss window let it be enqueued again; an entry when its add was applied twice.
		long twice = handled.entrySet().stream().filter((entry) -> entry.getValue() > 1 && !dead.contains(entry.getKey()))
			.filter((entry) -> what.equals("entries") || (accepted.containsKey(entry.getKey())
					&& this.applied.stream().anyMatch((fault) -> fault.mayHaveLost(accepted.get(entry.getKey())))))
			.count();
		if (counted > done + twice) {
			this.violations.add(String.format("the %s counters sum to %d, more than the %d %s handled and not dead-lettered"
					+ " (+%d that may count twice)", meter, counted, done, what, twice));
		}
		// Entries: Lettuce re-sends a command written but not answered when its connection dropped (at-least-once), and
		// a re-sent XACK Redis had applied answers 0 as a success, not told apart from an entry another consumer
		// acknowledged first (seen: seed 5005, RESTART_REDIS, 616 of 617). Jobs: complete.lua answers such a re-send.
		boolean checkedFromBelow = what.equals("jobs") || !repliesMayBeLost();
		if (checkedFromBelow && counted < done - unread - inLossWindow) {
			this.violations.add(String.format("the %s counters sum to %d, fewer than the %d %s handled and not"
					+ " dead-lettered less %d a killed process may have counted after its last reading and %d handled across a"
					+ " loss window", meter, counted, done, what, unread, inLossWindow));
		}
		this.summary.add(String.format("%s: %d handled and not dead-lettered, %s summed over all processes %d (unread by"
				+ " killed processes at most %d, handled across a loss window %d, may count twice %d)", what, done, meter, counted, unread,
				inLossWindow, twice) + (checkedFromBelow ? "" : "; not checked from below: an XACK may have been re-sent"));
	}

	/**
	 * Whether a message's completion or acknowledgement may have found its record gone (so that nothing was counted):
	 * its handling, from its first start to its last end, overlapped a fault that loses data, from
	 * {@link AppliedFault#REPLICATION_LAG} before the injection (a completion written just before a restart or a
	 * failover may not have been answered or replicated) to the heal. A message handled well before the fault was
	 * counted before it; one started after the heal finds its record, or was never handled.
	 */
	private boolean handlingMayHaveLostItsRecord(Instant started, Instant ended) {
		if (started == null || ended == null) {
			return true;
		}
		return this.applied.stream()
			.filter((fault) -> fault.fault().kind().losesData())
			.anyMatch((fault) -> !ended.isBefore(fault.injected().minus(AppliedFault.REPLICATION_LAG))
					&& !started.isAfter(fault.healed()));
	}

	/**
	 * Whether a fault of the schedule may have lost Redis's reply to a stream entry's dead-lettering or acknowledgement
	 * that was applied: a dead-lettering is taken for "not moved" and not counted, and an XACK Lettuce re-sent after a
	 * reconnect answers 0, so those meters may stay below what happened. Only a killed consumer (whose counts are
	 * bounded apart) and a downstream outage leave every reply to arrive.
	 */
	private boolean repliesMayBeLost() {
		return this.applied.stream()
			.map((fault) -> fault.fault().kind())
			.anyMatch((kind) -> kind != FaultKind.KILL_CONSUMER && kind != FaultKind.DOWNSTREAM_OUTAGE);
	}

	private void exactly(String who, String meter, long value, String what, long expected) {
		if (value != expected) {
			this.violations.add(who + ": " + meter + " is " + value + ", not the " + expected + " " + what);
		}
	}

	private void atMost(String who, String meter, long value, String what, long bound) {
		if (value > bound) {
			this.violations.add(who + ": " + meter + " is " + value + ", more than the " + bound + " " + what);
		}
	}

	private void atLeast(String who, String meter, long value, String what, long bound) {
		if (value < bound) {
			this.violations.add(who + ": " + meter + " is " + value + ", fewer than the " + bound + " " + what);
		}
	}

	/** One worker process (one pid): its ledger counts and its last meter reading. */
	private record Process(String name, long pid, long jobsStarted, long jobsHandled, long entriesStarted,
			long entriesHandled, long topicHandled, MeterReadings last) {

		static Process of(String name, long pid, LedgerEvents own) {
			List<LedgerEvent> mine = own.events().stream().filter((event) -> event.pid() == pid).toList();
			MeterReadings last = mine.stream()
				.filter((event) -> event.event().equals(ScheduleWorker.METERS))
				.reduce((first, second) -> second)
				.map((event) -> MeterReadings.parse(event.id()))
				.orElse(MeterReadings.NONE);
			return new Process(name, pid, count(mine, ScheduleWorker.JOB_STARTED), count(mine, ScheduleWorker.JOB_HANDLED),
					count(mine, ScheduleWorker.ENTRY_STARTED), count(mine, ScheduleWorker.ENTRY_HANDLED),
					count(mine, ScheduleWorker.TOPIC_HANDLED), last);
		}

		private static long count(List<LedgerEvent> events, String event) {
			return events.stream().filter((each) -> each.event().equals(event)).count();
		}

	}

}
