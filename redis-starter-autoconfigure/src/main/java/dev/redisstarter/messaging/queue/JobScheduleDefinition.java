package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job schedule, from {@code redis.starter.queue.schedules.<name>.*} or a {@link JobSchedule} annotation.
 * The constructor checks every value; its messages name the value ({@code cron}, {@code fixed rate},
 * {@code payload}, ...) for the caller to prefix with the property or the annotated method.
 *
 * @param name the schedule's name: 1 to 200 characters, no braces
 * @param queue the queue its jobs go to
 * @param cron a Spring cron expression (six fields), or null with a fixed rate
 * @param fixedRate the rate (at least 1ms; ticks at its multiples since the epoch), or null with a cron
 * @param zone the cron expression's time zone (fixed rates ignore it)
 * @param payload each job's payload, as JSON text
 * @param missed what to do about ticks missed while no instance ran
 */
public record JobScheduleDefinition(String name, String queue, @Nullable String cron, @Nullable Duration fixedRate,
		ZoneId zone, String payload, MissedTicks missed) {

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	/** The zone of schedules that set none. */
	public static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");

	/**
	 * Checks the values.
	 */
	public JobScheduleDefinition {
		if (name == null || name.isBlank() || name.length() > 200 || name.indexOf('{') >= 0
				|| name.indexOf('}') >= 0) {
			throw new IllegalArgumentException("name must have 1 to 200 characters and no braces, was '" + name + "'");
		}
		if (queue == null || queue.isBlank()) {
			throw new IllegalArgumentException("queue must be set");
		}
		try {
			QueueKeys.requireName(queue);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("queue: " + ex.getMessage(), ex);
		}
		boolean withCron = cron != null && !cron.isBlank();
		if (withCron == (fixedRate != null)) {
			throw new IllegalArgumentException("set exactly one of cron and fixed rate, "
					+ (withCron ? "both are set" : "neither is set"));
		}
		if (withCron) {
			try {
				CronExpression.parse(cron);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("cron '" + cron + "' is not a Spring cron expression (six fields:"
						+ " second minute hour day-of-month month day-of-week): " + ex.getMessage(), ex);
			}
		}
		else {
			cron = null;
			if (fixedRate.toMillis() < 1) {
				throw new IllegalArgumentException("fixed rate must be at least 1ms, was " + fixedRate);
			}
		}
		Objects.requireNonNull(zone, "zone");
		Objects.requireNonNull(missed, "missed");
		if (payload == null || payload.isBlank()) {
			throw new IllegalArgumentException("payload must be JSON text (null for none), was '" + payload + "'");
		}
		try {
			JSON.readTree(payload);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("payload is not JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * The expression, for logs and listings.
	 * @return the cron expression, or {@code every <rate>}
	 */
	public String expression() {
		return (this.cron != null) ? this.cron : "every " + this.fixedRate;
	}

}
