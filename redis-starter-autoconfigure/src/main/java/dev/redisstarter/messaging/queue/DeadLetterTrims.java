package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Dead letters a queue dropped to keep its bounds ({@code dead.max-count}, {@code dead.max-age}): counted in the
 * meter {@code redis.starter.queue.dead-letters.trimmed} as the scripts report them, and logged once per burst: the
 * worker's maintenance logs what accumulated, at most once a minute, so that a backlog dead-lettered during an outage
 * gives one line with its count rather than one per job.
 */
final class DeadLetterTrims {

	private static final Log logger = LogFactory.getLog(DeadLetterTrims.class);

	private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

	private final String queue;

	private final QueueSettings settings;

	private final QueueMetrics.Meters meters;

	private final LongSupplier nanoClock;

	private long unlogged;

	private long loggedAt;

	private boolean logged;

	DeadLetterTrims(String queue, QueueSettings settings, QueueMetrics.Meters meters, LongSupplier nanoClock) {
		this.queue = queue;
		this.settings = settings;
		this.meters = meters;
		this.nanoClock = nanoClock;
	}

	/** A script trimmed some: counted now, logged by the next {@link #logIfDue()}. */
	synchronized void trimmed(long count) {
		if (count <= 0) {
			return;
		}
		this.meters.deadLettersTrimmed(count);
		this.unlogged += count;
	}

	/** Logs what was trimmed since the last line, unless a line was written less than a minute ago. */
	synchronized void logIfDue() {
		long now = this.nanoClock.getAsLong();
		if (this.unlogged == 0 || (this.logged && now - this.loggedAt < LOG_EVERY_NANOS)) {
			return;
		}
		logger.warn("Queue '" + this.queue + "': " + this.unlogged + " dead letters were dropped to keep its bounds"
				+ " (dead.max-count " + this.settings.deadMaxCount() + ", dead.max-age " + this.settings.deadMaxAge()
				+ "); they are gone. Retry or purge dead letters sooner, or raise the bounds");
		this.unlogged = 0;
		this.loggedAt = now;
		this.logged = true;
	}

}
