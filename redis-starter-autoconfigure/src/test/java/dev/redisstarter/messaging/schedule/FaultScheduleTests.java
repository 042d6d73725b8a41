package dev.redisstarter.messaging.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redisstarter.test.schedule.AppliedFault;
import dev.redisstarter.test.schedule.FaultKind;
import dev.redisstarter.test.schedule.FaultSchedule;
import dev.redisstarter.test.schedule.FaultSchedule.Pacing;
import dev.redisstarter.test.schedule.LedgerEvent;
import dev.redisstarter.test.schedule.LedgerEvents;
import dev.redisstarter.test.schedule.LedgerReport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job queue and streams under fault schedules: two worker JVMs consume while a producer in this JVM enqueues
 * and adds, and a seeded schedule kills, pauses and cuts off the workers and restarts Redis; the ledgers then prove
 * the delivery invariants. Each test's seed can be replayed with {@code -Dredis.starter.schedule.seed=<seed>} and
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
		}
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
