package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.MeterTag;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.RedisPermissionException;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * One schedule at work in this instance: which tick is due, {@code schedule-tick.lua} for it, and what the reply
 * means for the meters and the log. Driven by the {@link JobSchedules} thread only; {@link #lastTick()} is read
 * from other threads.
 */
final class ActiveSchedule {

	private static final Log logger = LogFactory.getLog(ActiveSchedule.class);

	/** A tick this long before the instance started, or less, still counts as on time (at most half a period). */
	static final long GRACE_MILLIS = 1000;

	/** The state of a schedule outlives any gap shorter than this, so missed ticks are found after it. */
	static final Duration MIN_STATE_TTL = Duration.ofDays(30);

	private static final long MAX_RETRY_MILLIS = 2000;

	private static final long COUNT_LIMIT = 100_000;

	private static final int HANDLED_BEFORE = 0;

	private static final int ENQUEUED = 1;

	private final JobScheduleDefinition definition;

	private final ScheduleTicks ticks;

	private final RedisCalls calls;

	private final LuaScript<?> script;

	private final byte[][] keys;

	private final byte[] payload;

	private final byte[] attempts;

	private final byte[] backoff;

	private final byte[] attemptTimeout;

	private final QueueMetrics.Meters queueMeters;

	private final @Nullable Counter enqueued;

	/** Told of the queue each time this schedule enqueues, as a producer would tell it. */
	private final @Nullable UnhandledQueues unhandled;

	private final @Nullable Counter missed;

	private final @Nullable Counter skipped;

	/** The latest tick this instance saw recorded. */
	private volatile long lastTick = ScheduleTicks.NONE;

	private long retryAt = Long.MIN_VALUE;

	private long failingTick = ScheduleTicks.NONE;

	private int failures;

	ActiveSchedule(JobScheduleDefinition definition, RedisCalls calls, LuaScript<?> script, QueueKeys keys,
			QueueSettings settings, QueueMetrics queueMetrics, @Nullable MeterRegistry registry,
			@Nullable UnhandledQueues unhandled) {
		this.definition = definition;
		this.unhandled = unhandled;
		this.ticks = ScheduleTicks.of(definition);
		this.calls = calls;
		this.script = script;
		// The base key, the schedule's state, then the queue's fixed keys (declared for Cluster slot migrations).
		byte[][] queueKeys = keys.scriptKeys(definition.queue());
		this.keys = new byte[queueKeys.length + 1][];
		this.keys[0] = queueKeys[0];
		this.keys[1] = utf8(keys.schedule(definition.queue(), definition.name()));
		System.arraycopy(queueKeys, 1, this.keys, 2, queueKeys.length - 1);
		this.payload = utf8(definition.payload());
		this.attempts = utf8(Integer.toString(settings.attempts()));
		this.backoff = utf8(JobRecords.encode(settings.backoff()));
		this.attemptTimeout = utf8(Long.toString((settings.attemptTimeout() != null)
				? settings.attemptTimeout().toMillis() : 0));
		this.queueMeters = queueMetrics.of(definition.queue());
		this.enqueued = counter(registry, "enqueued");
		this.missed = counter(registry, "missed");
		this.skipped = counter(registry, "skipped");
	}

	private @Nullable Counter counter(@Nullable MeterRegistry registry, String result) {
		return (registry != null) ? QueueMeter.SCHEDULE_TICKS.counterBuilder()
			.tags(MeterTag.SCHEDULE.asString(), this.definition.name(), MeterTag.OUTCOME.asString(), result)
			.register(registry) : null;
	}

	JobScheduleDefinition definition() {
		return this.definition;
	}

	ScheduleTicks ticks() {
		return this.ticks;
	}

	long lastTick() {
		return this.lastTick;
	}

	/**
	 * Handles the tick due at {@code now} unless this instance has seen it handled, retrying a failure until
	 * the next tick comes.
	 * @param now the instance's clock, epoch ms
	 * @param startedAt when the scheduler started; ticks before it (beyond the grace) are missed ones
	 * @return when to look again, epoch ms
	 */
	long advance(long now, long startedAt) {
		long next = this.ticks.next(now);
		if (now < this.retryAt) {
			return this.retryAt;
		}
		long due = this.ticks.latest(now);
		if (due == ScheduleTicks.NONE || (this.lastTick != ScheduleTicks.NONE && due <= this.lastTick)) {
			return next;
		}
		long grace = Math.min(GRACE_MILLIS, this.ticks.periodAfter(due).toMillis() / 2);
		try {
			handle(due, due >= startedAt - grace);
			this.failures = 0;
			this.retryAt = Long.MIN_VALUE;
			return next;
		}
		catch (DataAccessException ex) {
			if (this.failingTick != due) {
				this.failingTick = due;
				logger.warn("Schedule '" + this.definition.name() + "' could not reach Redis for its tick at "
						+ at(due) + "; retrying until its next tick at " + at(next) + ": " + ex.getMessage());
			}
			long delay = Math.min(MAX_RETRY_MILLIS, 100L << Math.min(this.failures++, 5));
			this.retryAt = Math.min(now + delay, next);
			return this.retryAt;
		}
		catch (RedisPermissionException ex) {
			// Logged once by the starter's refusals and shown in health: retried like an outage, without a log
			// line (and a stack trace) at each attempt, until the user is granted the queue's keys.
			long delay = Math.min(MAX_RETRY_MILLIS, 100L << Math.min(this.failures++, 5));
			this.retryAt = Math.min(now + delay, next);
			return this.retryAt;
		}
	}

	private void handle(long tick, boolean onTime) {
		String tickText = Long.toString(tick);
		long ttl = Math.max(MIN_STATE_TTL.toMillis(), 2 * this.ticks.periodAfter(tick).toMillis());
		List<?> reply = this.calls.script(this.script, ScriptOutputType.MULTI, this.keys.length,
				QueueKeys.keysAndArgs(this.keys, utf8(tickText), utf8(onTime ? "on-time" : "late"),
						utf8((this.definition.missed() == MissedTicks.RUN_ONCE) ? "run-once" : "skip"),
						utf8(Long.toString(ttl)), utf8("schedule:" + this.definition.name() + ":" + tickText),
						this.payload, this.attempts, this.backoff, this.attemptTimeout));
		ScheduleTickReply tickReply = ScheduleTickReply.of(reply);
		int outcome = tickReply.outcome();
		long before = tickReply.last();
		if (outcome == HANDLED_BEFORE) {
			this.lastTick = before;
			return;
		}
		this.lastTick = tick;
		long missedBefore = (before < 0 || before >= tick) ? 0 : this.ticks.countBetween(before, tick, COUNT_LIMIT);
		increment(this.skipped, missedBefore);
		String name = "Schedule '" + this.definition.name() + "'";
		if (outcome == ENQUEUED) {
			this.queueMeters.enqueued(1);
			if (this.unhandled != null) {
				this.unhandled.enqueued(this.definition.queue());
			}
			increment(onTime ? this.enqueued : this.missed, 1);
			if (!onTime) {
				logger.info(name + " missed " + count(missedBefore + 1) + " up to " + at(tick)
						+ " while no instance ran; enqueued one job for the tick at " + at(tick)
						+ " (missed ticks: run-once)");
			}
			else if (missedBefore > 0) {
				logger.info(name + " missed " + count(missedBefore) + " before its tick at " + at(tick)
						+ " (no instance ran, or Redis did not answer until a later tick); skipped them, the tick at "
						+ at(tick) + " enqueued its job");
			}
		}
		else if (before < 0) {
			logger.info(name + " starts: its first tick comes at " + at(this.ticks.next(tick))
					+ " (a new schedule enqueues nothing for ticks before it ran)");
		}
		else {
			increment(this.skipped, 1);
			logger.info(name + " missed " + count(missedBefore + 1) + " up to " + at(tick)
					+ " while no instance ran; skipped (missed ticks: skip)");
		}
	}

	private static String count(long ticks) {
		return ((ticks >= COUNT_LIMIT) ? "at least " : "") + ticks + ((ticks == 1) ? " tick" : " ticks");
	}

	private String at(long tick) {
		if (tick == Long.MAX_VALUE) {
			return "(none)";
		}
		Instant instant = Instant.ofEpochMilli(tick);
		return (this.definition.cron() != null) ? instant.atZone(this.definition.zone()).toString() : instant.toString();
	}

	private static void increment(@Nullable Counter counter, long amount) {
		if (counter != null && amount > 0) {
			counter.increment(amount);
		}
	}

}
