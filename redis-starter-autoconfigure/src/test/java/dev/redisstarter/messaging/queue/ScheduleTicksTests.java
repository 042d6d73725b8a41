package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.support.CronExpression;

import static org.assertj.core.api.Assertions.assertThat;

/** The tick arithmetic, without Redis. */
class ScheduleTicksTests {

	private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	private static long millis(String instant) {
		return Instant.parse(instant).toEpochMilli();
	}

	@Test
	void fixedRateTicksAreMultiplesOfTheRateSinceTheEpoch() {
		ScheduleTicks ticks = ScheduleTicks.fixedRate(Duration.ofMinutes(15));
		long now = millis("2025-03-10T10:07:12.345Z");
		assertThat(ticks.latest(now)).isEqualTo(millis("2025-03-10T10:00:00Z"));
		assertThat(ticks.next(now)).isEqualTo(millis("2025-03-10T10:15:00Z"));
		assertThat(ticks.latest(millis("2025-03-10T10:15:00Z"))).as("a tick is its own latest")
			.isEqualTo(millis("2025-03-10T10:15:00Z"));
		assertThat(ticks.next(millis("2025-03-10T10:15:00Z"))).as("next is strictly after")
			.isEqualTo(millis("2025-03-10T10:30:00Z"));
		assertThat(ticks.countBetween(millis("2025-03-10T10:00:00Z"), millis("2025-03-10T11:00:00Z"), 100))
			.isEqualTo(3);
		assertThat(ticks.countBetween(millis("2025-03-10T10:00:00Z"), millis("2025-03-10T10:15:00Z"), 100)).isZero();
		assertThat(ticks.periodAfter(now)).isEqualTo(Duration.ofMinutes(15).minusMillis(7 * 60_000 + 12_345));
	}

	@Test
	void cronTicksFollowTheZoneIncludingDaylightSavingTime() {
		ScheduleTicks ticks = ScheduleTicks.cron(CronExpression.parse("0 0 7 * * *"), PARIS);
		// 30 March 2025: Paris moves from UTC+1 to UTC+2.
		assertThat(ticks.latest(millis("2025-03-30T12:00:00Z"))).isEqualTo(millis("2025-03-30T05:00:00Z"));
		assertThat(ticks.latest(millis("2025-03-30T04:59:59Z"))).isEqualTo(millis("2025-03-29T06:00:00Z"));
		assertThat(ticks.next(millis("2025-03-29T06:00:00Z"))).isEqualTo(millis("2025-03-30T05:00:00Z"));
		assertThat(ticks.latest(millis("2025-03-30T05:00:00Z"))).isEqualTo(millis("2025-03-30T05:00:00Z"));
		assertThat(ticks.countBetween(millis("2025-03-01T06:00:00Z"), millis("2025-03-30T05:00:00Z"), 1000))
			.isEqualTo(28);
		assertThat(ticks.periodAfter(millis("2025-03-29T06:00:00Z"))).isEqualTo(Duration.ofHours(23));
	}

	@Test
	void latestFindsTicksFarBackAndMatchesALinearSearch() {
		ScheduleTicks leapDay = ScheduleTicks.cron(CronExpression.parse("0 30 12 29 2 *"), ZoneId.of("UTC"));
		assertThat(leapDay.latest(millis("2027-06-01T00:00:00Z"))).isEqualTo(millis("2024-02-29T12:30:00Z"));
		ScheduleTicks everyFewSeconds = ScheduleTicks.cron(CronExpression.parse("3,17,41 * * * * *"), PARIS);
		long now = millis("2025-01-01T00:00:00Z");
		for (long at = now; at < now + 130_000; at += 733) {
			long expected = at - 200_000;
			for (long tick = everyFewSeconds.next(expected); tick <= at; tick = everyFewSeconds.next(tick)) {
				expected = tick;
			}
			assertThat(everyFewSeconds.latest(at)).as("latest at %s", Instant.ofEpochMilli(at)).isEqualTo(expected);
		}
	}

	@Test
	void aCronThatMatchesNothingHasNoTicks() {
		ScheduleTicks never = ScheduleTicks.cron(CronExpression.parse("0 0 0 31 2 *"), ZoneId.of("UTC"));
		assertThat(never.latest(ZonedDateTime.now().toInstant().toEpochMilli())).isEqualTo(ScheduleTicks.NONE);
		assertThat(never.next(0)).isEqualTo(Long.MAX_VALUE);
	}

}
