package dev.redisstarter.core.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;

/**
 * Logs answers given because Redis is unavailable: at WARN at most once per 10 seconds, at DEBUG in between,
 * always without a stack trace, so that an outage under load leaves a readable log rather than one trace per
 * request.
 */
public final class UnavailableLog {

	private static final long INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

	private final Log logger;

	private final AtomicLong lastWarning;

	/**
	 * A log.
	 * @param logger where to write
	 */
	public UnavailableLog(Log logger) {
		this.logger = logger;
		this.lastWarning = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
	}

	/**
	 * Logs one answer.
	 * @param answer what the client was told, for example {@code "503"}
	 * @param ex the failure
	 */
	public void answered(String answer, Throwable ex) {
		log("Answered " + answer + ": " + ex.getMessage());
	}

	/**
	 * Logs one line: at WARN if none was in the last 10 seconds, else at DEBUG.
	 * @param line what to log, without a stack trace
	 */
	public void log(String line) {
		long now = System.nanoTime();
		long last = this.lastWarning.get();
		if (now - last >= INTERVAL_NANOS && this.lastWarning.compareAndSet(last, now)) {
			this.logger.warn(line + " (logged at WARN at most every 10 s)");
		}
		else if (this.logger.isDebugEnabled()) {
			this.logger.debug(line);
		}
	}

}
