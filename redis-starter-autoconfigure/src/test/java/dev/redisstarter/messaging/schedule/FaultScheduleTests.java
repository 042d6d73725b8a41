package dev.redisstarter.messaging.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.redisstarter.test.schedule.AppliedFault;
import dev.redisstarter.test.schedule.FaultKind;
import dev.redisstarter.test.schedule.FaultSchedule;
import dev.redisstarter.test.schedule.FaultSchedule.Pacing;
import dev.redisstarter.test.schedule.JvmProcess;
import dev.redisstarter.test.schedule.LedgerEvent;
import dev.redisstarter.test.schedule.LedgerEvents;
import dev.redisstarter.test.schedule.LedgerReport;
import dev.redisstarter.test.schedule.ScheduledFault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job queue and streams under fault schedules: two worker JVMs consume while a producer in this JVM enqueues
 * and adds, and a seeded schedule kills, pauses and cuts off the workers and restarts Redis (or, on a Cluster, kills
 * masters; on Sentinel, fails over); the ledgers then prove the delivery invariants, and the workers' meters are
 * compared with them. Each test's seed can be replayed with {@code -Dredis.starter.schedule.seed=<seed>} and
 * lengthened with {@code -Dredis.starter.schedule.duration=10m} (see the README, "Fault schedules").
 */
@Tag("fault-schedule")
class FaultScheduleTests {

	private static final Pacing QUICK = new Pacing(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofMillis(500),
			Duration.ofSeconds(2));

	@TempDir
	Path directory;

	@Test
	void killingWorkersMidHandlingLosesNoJobAndNoEntry() {
		FaultSchedule schedule = schedule(1001, Duration.ofSeconds(20), EnumSet.of(FaultKind.KILL_CONSUMER), QUICK);
		try (ScheduleRun run = ScheduleRun.start(this.directory, 2, Map.of())) {
			List<AppliedFault> applied = run.run(schedule);

			print(run.jobs(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			print(run.entries(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			assertThat(applied).as("the schedule killed workers").isNotEmpty();
			run.assertCountsAgreeWithDeadLetters();
			run.assertMetersAgreeWithLedgers(schedule, applied);
			// The durable topic too: a killed instance's group waits for it, so each worker receives every entry.
			awaitEveryWorkerHandledEveryEntryOrReportedAGap(run, schedule, applied);
			LedgerEvents events = LedgerEvents.read(this.directory);
			assertThat(startedButNotHandledBySamePid(events, ScheduleWorker.JOB_STARTED, ScheduleWorker.JOB_HANDLED)
					+ startedButNotHandledBySamePid(events, ScheduleWorker.ENTRY_STARTED, ScheduleWorker.ENTRY_HANDLED))
				.as("a kill found handlers mid-way").isPositive();
		}
	}

	@Test
	void restartingRedisWithItsAppendOnlyFileLosesNoJobAndNoEntry() {
		FaultSchedule schedule = schedule(2002, Duration.ofSeconds(20), EnumSet.of(FaultKind.RESTART_REDIS), QUICK);
		try (ScheduleRun run = ScheduleRun.start(this.directory, 2, Map.of())) {
			List<AppliedFault> applied = run.run(schedule);

			print(run.jobs(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			print(run.entries(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			assertThat(applied).as("the schedule restarted Redis").isNotEmpty();
			run.assertCountsAgreeWithDeadLetters();
			run.assertMetersAgreeWithLedgers(schedule, applied);
			awaitEveryWorkerHandledEveryEntryOrReportedAGap(run, schedule, applied);
		}
	}

	@Test
	void restartingRedisEmptyLosesOnlyWorkAcceptedBeforeTheRestartAndTheDurableTopicReportsWhatItMissed() {
		// Redis stays down 3 to 5 s, so that the workers' reconnect back-off grows to seconds while the producer adds
		// as soon as Redis is back: a durable-topic group recreated at the end of the stream would skip those entries.
		FaultSchedule schedule = schedule(3003, Duration.ofSeconds(20), EnumSet.of(FaultKind.RESTART_REDIS_EMPTY),
				new Pacing(Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofSeconds(5)));
		try (ScheduleRun run = ScheduleRun.start(this.directory, 2, Map.of())) {
			List<AppliedFault> applied = run.run(schedule);

			// The loss window (README, "Fault schedules"): what was accepted before Redis came back empty and not yet
			// handled may be lost (counted as "lost in a loss window"); everything accepted after it is handled.
			print(run.jobs(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			print(run.entries(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			assertThat(applied).as("the schedule restarted Redis empty").isNotEmpty();
			run.assertCountsAgreeWithDeadLetters();
			run.assertMetersAgreeWithLedgers(schedule, applied);
			// A durable topic never skips silently: each worker received every entry, or reported a gap.
			awaitEveryWorkerHandledEveryEntryOrReportedAGap(run, schedule, applied);
		}
	}

	@Test
	void aDownstreamOutageLongerThanTheRetryScheduleDeadLettersNothing() {
		// The workers' retry schedule ends within about 2.5 s (3 attempts for a job, 5 deliveries for an entry,
		// 200 ms to 1 s apart): an outage of 12 s outlasts it several times over. The consumer-side circuit stops
		// consuming instead, so nothing is dead-lettered and everything runs once the downstream is back.
		ScheduledFault outage = new ScheduledFault(Duration.ofSeconds(3), FaultKind.DOWNSTREAM_OUTAGE, Duration.ofSeconds(12), 0);
		FaultSchedule schedule = new FaultSchedule(FaultSchedule.seedProperty(4004), Duration.ofSeconds(20), List.of(outage));
		Map<String, String> retrySchedule = Map.of("redis.starter.queue.defaults.backoff.initial", "200ms",
				"redis.starter.queue.defaults.backoff.max", "1s", "redis.starter.stream.defaults.backoff.initial",
				"200ms", "redis.starter.stream.defaults.backoff.max", "1s");
		try (ScheduleRun run = ScheduleRun.start(this.directory, 2, retrySchedule)) {
			List<AppliedFault> applied = run.run(schedule);

			// Redis stays up: nothing is handled twice successfully (the README's table), so any duplicate fails the run.
			print(run.jobs(schedule, applied).noDuplicates().awaitHolds(ScheduleRun.SETTLE));
			print(run.entries(schedule, applied).noDuplicates().awaitHolds(ScheduleRun.SETTLE));
			assertThat(run.deadJobs()).as("jobs dead-lettered by the outage").isEmpty();
			assertThat(run.deadEntries()).as("entries dead-lettered by the outage").isEmpty();
			run.assertCountsAgreeWithDeadLetters();
			run.assertMetersAgreeWithLedgers(schedule, applied);
		}
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("randomSeeds")
	void aRandomScheduleOfKillsPausesRestartsFreezesAndNetworkFaultsLosesNothing(long seed) {
		EnumSet<FaultKind> kinds = EnumSet.of(FaultKind.KILL_CONSUMER, FaultKind.PAUSE_CONSUMER, FaultKind.RESTART_REDIS,
				FaultKind.FREEZE_REDIS, FaultKind.BLACK_HOLE, FaultKind.LATENCY);
		FaultSchedule schedule = schedule(seed, Duration.ofSeconds(20), kinds, QUICK);
		try (ScheduleRun run = ScheduleRun.start(this.directory, 2, Map.of())) {
			List<AppliedFault> applied = run.run(schedule);

			print(run.jobs(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			print(run.entries(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			assertThat(applied).as("the schedule applied faults").isNotEmpty();
			run.assertCountsAgreeWithDeadLetters();
			run.assertMetersAgreeWithLedgers(schedule, applied);
			awaitEveryWorkerHandledEveryEntryOrReportedAGap(run, schedule, applied);
		}
	}

	@Test
	void killingTheClusterMasterOfTheQueueAndTheStreamWhileKillingWorkersLosesOnlyWhatItsReplicaHadNotReceived() {
		// Seed 7777 draws two master kills: the first (target 11816, 2 of the 3 slot owners) hits the master serving both
		// the queue's slot (12497) and the stream's (11328), and its replica takes over; the second another master.
		// Each kill waits for the promotion (cluster-node-timeout 5 s), so the schedule runs about 27 s.
		FaultSchedule schedule = schedule(7777, Duration.ofSeconds(24),
				EnumSet.of(FaultKind.KILL_CONSUMER, FaultKind.CLUSTER_MASTER_KILLED), QUICK);
		try (ScheduleRun run = ScheduleRun.start(this.directory, ScheduleRun.Deployment.CLUSTER, 2, Map.of())) {
			String ownerBefore = run.ownerOfTheQueueAndTheStream();
			List<AppliedFault> applied = run.run(schedule);

			print(run.jobs(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			print(run.entries(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			assertThat(applied).as("the schedule killed masters")
				.anyMatch((fault) -> fault.fault().kind() == FaultKind.CLUSTER_MASTER_KILLED);
			assertThat(run.ownerOfTheQueueAndTheStream()).as("a replica took over the queue's and the stream's slots")
				.isNotEqualTo(ownerBefore);
			run.assertCountsAgreeWithDeadLetters();
			run.assertMetersAgreeWithLedgers(schedule, applied);
			awaitEveryWorkerHandledEveryEntryOrReportedAGap(run, schedule, applied);
		}
	}

	@Test
	void sentinelFailoversWhileKillingWorkersLoseOnlyWhatTheOldMasterHadNotReplicated() {
		// Seed 9009 draws two SENTINEL FAILOVERs (the replica is promoted, then the first master again) and two worker
		// kills. Each failover heals when Sentinel has turned the old master into a replica, about 16 s after it began.
		FaultSchedule schedule = schedule(9009, Duration.ofSeconds(24),
				EnumSet.of(FaultKind.KILL_CONSUMER, FaultKind.SENTINEL_FAILOVER), QUICK);
		try (ScheduleRun run = ScheduleRun.start(this.directory, ScheduleRun.Deployment.SENTINEL, 2, Map.of())) {
			List<AppliedFault> applied = run.run(schedule);

			print(run.jobs(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			print(run.entries(schedule, applied).awaitHolds(ScheduleRun.SETTLE));
			assertThat(applied).as("the schedule failed over")
				.anyMatch((fault) -> fault.fault().kind() == FaultKind.SENTINEL_FAILOVER);
			run.assertCountsAgreeWithDeadLetters();
			run.assertMetersAgreeWithLedgers(schedule, applied);
			awaitEveryWorkerHandledEveryEntryOrReportedAGap(run, schedule, applied);
		}
	}

	private void awaitEveryWorkerHandledEveryEntryOrReportedAGap(ScheduleRun run, FaultSchedule schedule,
			List<AppliedFault> applied) {
		await().atMost(ScheduleRun.SETTLE)
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(silentlyMissed(run, applied))
				.as("entries a durable-topic listener missed without reporting a gap; replay: " + schedule.replayHint())
				.isEmpty());
	}

	/**
	 * By worker, the entries its durable-topic listener skipped silently. An entry accepted before a data-losing fault
	 * healed may be gone with the data (the loss window, as for the work group). One accepted after the fault healed
	 * was in Redis when the listener came back: it must be received, or the listener must have reported a gap since
	 * that fault began.
	 */
	private Map<String, Set<String>> silentlyMissed(ScheduleRun run, List<AppliedFault> applied) {
		LedgerEvents events = LedgerEvents.read(this.directory);
		Map<String, Instant> accepted = events.firstTimes(Producer.ENTRY_ACCEPTED);
		Map<String, Set<String>> silentlyMissed = new TreeMap<>();
		for (JvmProcess worker : run.workers()) {
			LedgerEvents own = events.byProcess(worker.spec().name());
			Set<String> received = own.ids(ScheduleWorker.TOPIC_HANDLED);
			List<LedgerEvent> gaps = own.of(ScheduleWorker.GAPS);
			accepted.forEach((id, at) -> {
				if (received.contains(id) || applied.stream().anyMatch((fault) -> fault.mayHaveLost(at))) {
					return;
				}
				AppliedFault before = applied.stream()
					.filter((fault) -> fault.fault().kind().losesData() && fault.healed().isBefore(at))
					.reduce((first, second) -> second)
					.orElse(null);
				if (before == null || !gapReportedSince(gaps, before.injected())) {
					silentlyMissed.computeIfAbsent(worker.spec().name() + ((before != null) ? " after " + before.fault() : ""),
							(key) -> new TreeSet<>()).add(id);
				}
			});
		}
		return silentlyMissed;
	}

	/** Whether the gap count rose after a time. */
	private static boolean gapReportedSince(List<LedgerEvent> gaps, Instant since) {
		long before = gaps.stream().filter((gap) -> gap.at().isBefore(since)).mapToLong((gap) -> Long.parseLong(gap.id())).max()
			.orElse(0);
		return gaps.stream().anyMatch((gap) -> !gap.at().isBefore(since) && Long.parseLong(gap.id()) > before);
	}

	/** The seeds CI runs, or only the one of {@code -Dredis.starter.schedule.seed} when it is set (a replay). */
	static LongStream randomSeeds() {
		String seed = System.getProperty(FaultSchedule.SEED_PROPERTY);
		return (seed != null && !seed.isBlank()) ? LongStream.of(Long.parseLong(seed.strip())) : LongStream.of(5005, 6006);
	}

	/** The seed and duration of the properties when set (a replay, a long run), else the test's own. */
	static FaultSchedule schedule(long seed, Duration duration, EnumSet<FaultKind> kinds, Pacing pacing) {
		return FaultSchedule.generate(FaultSchedule.seedProperty(seed), FaultSchedule.durationProperty(duration), kinds,
				pacing);
	}

	static void print(LedgerReport report) {
		System.out.println(report.describe());
	}

	/** How many messages a process started and never handled itself: it was killed (or paused) mid-way. */
	static long startedButNotHandledBySamePid(LedgerEvents events, String started, String handled) {
		java.util.Set<String> done = events.of(handled)
			.stream()
			.map((event) -> event.pid() + " " + event.id())
			.collect(java.util.stream.Collectors.toSet());
		return events.of(started).stream().map((LedgerEvent event) -> event.pid() + " " + event.id())
			.filter((key) -> !done.contains(key))
			.count();
	}

}
