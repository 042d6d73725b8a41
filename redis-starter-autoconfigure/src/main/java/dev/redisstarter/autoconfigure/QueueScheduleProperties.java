package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.messaging.queue.JobScheduleDefinition;
import dev.redisstarter.messaging.queue.MissedTicks;

/**
 * {@code redis.starter.queue.schedules.<name>.*}: one job schedule.
 */
public class QueueScheduleProperties {

	/**
	 * The queue the schedule's jobs go to; a @JobHandler of this application or redis.starter.queue.named.<queue> must name it.
	 */
	private @Nullable String queue;

	/**
	 * A Spring cron expression of six fields (second minute hour day-of-month month day-of-week), such as "0 0 7 * * *", or a macro such as "@daily". Set exactly one of cron and fixed-rate.
	 */
	private @Nullable String cron;

	/**
	 * A fixed rate: ticks at every multiple of it since the epoch (UTC), so all instances agree on them. Set exactly one of cron and fixed-rate.
	 */
	private @Nullable Duration fixedRate;

	/**
	 * The time zone of the cron expression, such as Europe/Paris; UTC when unset.
	 */
	private ZoneId zone = JobScheduleDefinition.DEFAULT_ZONE;

	/**
	 * The payload of each job, as JSON text (quote it in YAML).
	 */
	private String payload = "null";

	/**
	 * What to do about ticks missed while no instance ran: skip them, or enqueue one job for them (run-once).
	 */
	private MissedTicks missed = MissedTicks.SKIP;

	/**
	 * Whether the schedule runs.
	 */
	private boolean enabled = true;

	public @Nullable String getQueue() {
		return this.queue;
	}

	public void setQueue(@Nullable String queue) {
		this.queue = queue;
	}

	public @Nullable String getCron() {
		return this.cron;
	}

	public void setCron(@Nullable String cron) {
		this.cron = cron;
	}

	public @Nullable Duration getFixedRate() {
		return this.fixedRate;
	}

	public void setFixedRate(@Nullable Duration fixedRate) {
		this.fixedRate = fixedRate;
	}

	public ZoneId getZone() {
		return this.zone;
	}

	public void setZone(ZoneId zone) {
		this.zone = zone;
	}

	public String getPayload() {
		return this.payload;
	}

	public void setPayload(String payload) {
		this.payload = payload;
	}

	public MissedTicks getMissed() {
		return this.missed;
	}

	public void setMissed(MissedTicks missed) {
		this.missed = missed;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
