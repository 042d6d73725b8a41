package dev.redisstarter.test.schedule;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FaultScheduleTests {

	private static final EnumSet<FaultKind> KINDS = EnumSet.of(FaultKind.KILL_CONSUMER, FaultKind.RESTART_REDIS,
			FaultKind.BLACK_HOLE);

	@Test
	void theSameSeedGivesTheSameSchedule() {
		FaultSchedule first = FaultSchedule.generate(42, Duration.ofMinutes(2), KINDS, FaultSchedule.Pacing.DEFAULT);
		FaultSchedule again = FaultSchedule.generate(42, Duration.ofMinutes(2), KINDS, FaultSchedule.Pacing.DEFAULT);
		FaultSchedule other = FaultSchedule.generate(43, Duration.ofMinutes(2), KINDS, FaultSchedule.Pacing.DEFAULT);

		assertThat(again).isEqualTo(first);
		assertThat(again.toString()).isEqualTo(first.toString());
		assertThat(other.faults()).isNotEqualTo(first.faults());
	}

	@Test
	void faultsDoNotOverlapUseOnlyTheKindsAskedForAndHealBeforeTheEnd() {
		FaultSchedule.Pacing pacing = FaultSchedule.Pacing.DEFAULT;
		for (long seed = 0; seed < 50; seed++) {
			FaultSchedule schedule = FaultSchedule.generate(seed, Duration.ofSeconds(60), KINDS, pacing);
			assertThat(schedule.faults()).isNotEmpty().allSatisfy((fault) -> {
				assertThat(KINDS).contains(fault.kind());
				assertThat(fault.lasting()).isBetween(pacing.minFault(), pacing.maxFault());
			});
			List<ScheduledFault> faults = schedule.faults();
			for (int i = 1; i < faults.size(); i++) {
				assertThat(faults.get(i).at()).isGreaterThanOrEqualTo(faults.get(i - 1).healsAt().plus(pacing.minGap()));
			}
			assertThat(faults.get(faults.size() - 1).healsAt().plus(pacing.minGap())).isLessThanOrEqualTo(Duration.ofSeconds(60));
		}
	}

	@Test
	void theScheduleNamesItsSeedAndHowToReplayIt() {
		FaultSchedule schedule = FaultSchedule.generate(7, Duration.ofSeconds(30), KINDS, FaultSchedule.Pacing.DEFAULT);

		assertThat(schedule.toString()).contains("seed 7", "-Dredis.starter.schedule.seed=7",
				"-Dredis.starter.schedule.duration=30000ms");
	}

	@Test
	void overlappingFaultsAreRefused() {
		List<ScheduledFault> overlapping = List.of(
				new ScheduledFault(Duration.ofSeconds(1), FaultKind.BLACK_HOLE, Duration.ofSeconds(3), 0),
				new ScheduledFault(Duration.ofSeconds(2), FaultKind.LATENCY, Duration.ofSeconds(1), 0));

		assertThatIllegalArgumentException().isThrownBy(() -> new FaultSchedule(0, Duration.ofSeconds(10), overlapping))
			.withMessageContaining("before the previous one healed");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FaultSchedule(0, Duration.ofSeconds(3), overlapping.subList(0, 1)))
			.withMessageContaining("after the end");
	}

	@Test
	void durationsReadAsTheReadmeWritesThem() {
		assertThat(FaultSchedule.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
		assertThat(FaultSchedule.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
		assertThat(FaultSchedule.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
		assertThat(FaultSchedule.parseDuration("PT1H")).isEqualTo(Duration.ofHours(1));
		assertThatIllegalArgumentException().isThrownBy(() -> FaultSchedule.parseDuration("ten minutes"))
			.withMessageContaining("redis.starter.schedule.duration");
	}

}
