package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a schedule ticks, in epoch milliseconds: a cron expression in a zone, or multiples of a fixed rate since
 * the epoch. Each instance computes the ticks from its own clock and nothing else, so all instances agree on them.
 * No Redis here: the arithmetic is tested alone.
 */
final class ScheduleTicks {

	/** How far back {@link #latest} looks: past a leap day of a cron that only matches 29 February. */
	private static final long HORIZON = Duration.ofDays(8 * 366).toMillis();

	/** No tick. */
	static final long NONE = Long.MIN_VALUE;

	private final @Nullable CronExpression cron;

	private final ZoneId zone;

	private final long rate;

	private ScheduleTicks(@Nullable CronExpression cron, ZoneId zone, long rate) {
		this.cron = cron;
		this.zone = zone;
		this.rate = rate;
	}

	static ScheduleTicks cron(CronExpression cron, ZoneId zone) {
		return new ScheduleTicks(cron, zone, 0);
	}

	static ScheduleTicks fixedRate(Duration rate) {
		if (rate.toMillis() < 1) {
			throw new IllegalArgumentException("fixed rate must be at least 1ms, was " + rate);
		}
		return new ScheduleTicks(null, ZoneId.of("UTC"), rate.toMillis());
	}

	static ScheduleTicks of(JobScheduleDefinition definition) {
		Duration fixedRate = definition.fixedRate();
		return (fixedRate != null) ? fixedRate(fixedRate)
				: cron(CronExpression.parse(String.valueOf(definition.cron())), definition.zone());
	}

	/**
	 * The first tick after an instant.
	 * @param after epoch ms
	 * @return the tick, or {@link Long#MAX_VALUE} when the cron matches nothing ahead
	 */
	long next(long after) {
		if (this.cron == null) {
			return (Math.floorDiv(after, this.rate) + 1) * this.rate;
		}
		ZonedDateTime next = this.cron.next(Instant.ofEpochMilli(after).atZone(this.zone));
		return (next != null) ? next.toInstant().toEpochMilli() : Long.MAX_VALUE;
	}

	/**
	 * The last tick at or before an instant.
	 * @param atOrBefore epoch ms
	 * @return the tick, or {@link #NONE} when none within eight years
	 */
	long latest(long atOrBefore) {
		if (this.cron == null) {
			return Math.floorDiv(atOrBefore, this.rate) * this.rate;
		}
		// A cron expression only looks ahead: widen a window backwards until it holds a tick, then narrow down
		// to the greatest instant whose next tick is still not after atOrBefore (about 70 look-aheads at most).
		long span = 1000;
		long without = atOrBefore;
		while (next(atOrBefore - span) > atOrBefore) {
			without = atOrBefore - span;
			if (span > HORIZON) {
				return NONE;
			}
			span *= 2;
		}
		long with = atOrBefore - span;
		while (without - with > 1) {
			long middle = with + (without - with) / 2;
			if (next(middle) <= atOrBefore) {
				with = middle;
			}
			else {
				without = middle;
			}
		}
		return next(with);
	}

	/**
	 * Counts the ticks strictly between two instants.
	 * @param from epoch ms (exclusive)
	 * @param to epoch ms (exclusive)
	 * @param limit the most to count (a cron is walked tick by tick)
	 * @return how many, at most {@code limit}
	 */
	long countBetween(long from, long to, long limit) {
		if (to <= from) {
			return 0;
		}
		if (this.cron == null) {
			long first = Math.floorDiv(from, this.rate) + 1;
			long last = Math.floorDiv(to - 1, this.rate);
			return Math.min(limit, Math.max(0, last - first + 1));
		}
		long count = 0;
		for (long tick = next(from); tick < to && count < limit; tick = next(tick)) {
			count++;
		}
		return count;
	}

	/**
	 * How long after a tick the next one comes.
	 * @param tick a tick
	 * @return the time to the next tick, or zero when there is none
	 */
	Duration periodAfter(long tick) {
		long next = next(tick);
		return (next == Long.MAX_VALUE) ? Duration.ZERO : Duration.ofMillis(next - tick);
	}

}
