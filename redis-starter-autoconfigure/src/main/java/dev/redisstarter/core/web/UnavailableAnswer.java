package dev.redisstarter.core.web;

import java.time.Duration;

import org.apache.commons.logging.Log;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The one answer to "Redis is unavailable" that every handler of the starter gives: 503 Service Unavailable, an
 * RFC 9457 problem of type {@link ProblemTypes#REDIS_UNAVAILABLE} whose detail names the capability and nothing the
 * caller sent (no key, id, board or channel), {@code Retry-After} (5 s unless the handler was built with another
 * wait), and a log line at WARN at most every 10 s per capability (each has an answer of its own), DEBUG in
 * between, never with a stack trace.
 */
public final class UnavailableAnswer {

	/** The default {@code Retry-After}. */
	public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

	private final Duration retryAfter;

	private final UnavailableLog log;

	/**
	 * An answer.
	 * @param retryAfter how long clients are asked to wait (positive)
	 * @param logger where the handler logs
	 * @throws IllegalArgumentException if the wait is not positive
	 */
	public UnavailableAnswer(Duration retryAfter, Log logger) {
		this.retryAfter = ProblemAnswers.requirePositive(retryAfter, "retryAfter");
		this.log = new UnavailableLog(logger);
	}

	/**
	 * Logs a failure and answers it.
	 * @param detail what the client is told, such as {@code "The cache is unavailable; retry later."}: a fixed text,
	 * never built from the request or the exception
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	public ResponseEntity<ProblemDetail> answer(String detail, Throwable ex) {
		this.log.answered("503", ex);
		return ProblemAnswers.withRetryAfter(
				ProblemAnswers.problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.REDIS_UNAVAILABLE, detail),
				this.retryAfter);
	}

	/**
	 * The wait clients are asked for.
	 * @return the wait
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
