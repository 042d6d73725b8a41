package dev.redisstarter.leaderboard;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** The periods a board can be split into; each period is a board of its own. */
public enum Period {

	/** From midnight to midnight. */
	DAILY,

	/** ISO weeks: from Monday 00:00 to the next Monday 00:00. */
	WEEKLY,

	/** From the first of the month 00:00 to the first of the next. */
	MONTHLY;

	/**
	 * The period that contains an instant, in a time zone.
	 * @param at the instant
	 * @param zone the zone whose calendar decides where periods begin
	 * @return the period's id and bounds
	 */
	public PeriodWindow windowAt(Instant at, ZoneId zone) {
		LocalDate day = at.atZone(zone).toLocalDate();
		return switch (this) {
			case DAILY -> window(day.format(DateTimeFormatter.ISO_LOCAL_DATE), day, day.plusDays(1), zone);
			case WEEKLY -> {
				LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
				String id = String.format(Locale.ROOT, "%d-W%02d", monday.get(IsoFields.WEEK_BASED_YEAR),
						monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
				yield window(id, monday, monday.plusWeeks(1), zone);
			}
			case MONTHLY -> {
				LocalDate first = day.withDayOfMonth(1);
				yield window(String.format(Locale.ROOT, "%d-%02d", first.getYear(), first.getMonthValue()), first,
						first.plusMonths(1), zone);
			}
		};
	}

	private PeriodWindow window(String id, LocalDate start, LocalDate end, ZoneId zone) {
		return new PeriodWindow(name().toLowerCase(Locale.ROOT) + ":" + id, ZonedDateTime.of(start.atStartOfDay(), zone)
			.toInstant(), end.atStartOfDay(zone).toInstant());
	}

	/**
	 * One period of a board.
	 * @param id the period's part of the key, such as {@code daily:2026-11-21}, {@code weekly:2026-W47} or
	 * {@code monthly:2026-11}
	 * @param start the first instant of the period
	 * @param end the first instant after it
	 */
	public record PeriodWindow(String id, Instant start, Instant end) {
	}

}
