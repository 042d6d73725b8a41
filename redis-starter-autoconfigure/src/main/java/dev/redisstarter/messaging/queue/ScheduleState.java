package dev.redisstarter.messaging.queue;

import java.time.Instant;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

/**
 * A schedule as this instance sees it, for listings such as the Actuator's.
 *
 * @param name the schedule's name
 * @param queue the queue its jobs go to
 * @param expression its cron expression, or {@code every <rate>}
 * @param zone the cron expression's time zone
 * @param missed its missed-tick policy
 * @param nextTick its next tick, or null when a cron expression matches nothing ahead
 * @param lastTick the latest tick recorded in Redis (with or without a job) as this instance last read it, or
 * null before its first read
 */
public record ScheduleState(String name, String queue, String expression, ZoneId zone, MissedTicks missed,
		@Nullable Instant nextTick, @Nullable Instant lastTick) {
}
