package dev.redisstarter.core.web;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Builds the problem answers of the starter's exception handlers: an RFC 9457 body and a {@code Retry-After}
 * header field in whole seconds, rounded up and at least 1, so that a client that waits it out is never early.
 */
public final class ProblemAnswers {

	private ProblemAnswers() {
	}

	/**
	 * An answer with a problem body and {@code Retry-After}.
	 * @param status the status
	 * @param detail the problem's detail, safe to show a client
	 * @param retryAfter how long the client should wait before it retries
	 * @return the answer
	 */
	public static ResponseEntity<ProblemDetail> withRetryAfter(HttpStatus status, String detail, Duration retryAfter) {
		return withRetryAfter(ProblemDetail.forStatusAndDetail(status, detail), retryAfter);
	}

	/**
	 * An answer with the given problem body and {@code Retry-After}.
	 * @param problem the problem; its status is the answer's
	 * @param retryAfter how long the client should wait before it retries
	 * @return the answer
	 */
	public static ResponseEntity<ProblemDetail> withRetryAfter(ProblemDetail problem, Duration retryAfter) {
		return ResponseEntity.status(problem.getStatus())
			.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)))
			.body(problem);
	}

	/**
	 * The value of {@code Retry-After} for a wait: whole seconds, rounded up, at least 1.
	 * @param retryAfter the wait
	 * @return the seconds
	 */
	public static long retryAfterSeconds(Duration retryAfter) {
		long seconds = retryAfter.getSeconds() + ((retryAfter.getNano() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

	/**
	 * Checks a configured wait.
	 * @param retryAfter the wait
	 * @param name the argument's name, for the message
	 * @return the wait
	 * @throws IllegalArgumentException if the wait is zero or negative
	 */
	public static Duration requirePositive(Duration retryAfter, String name) {
		if (retryAfter.isZero() || retryAfter.isNegative()) {
			throw new IllegalArgumentException(name + " must be positive, not " + retryAfter);
		}
		return retryAfter;
	}

}
