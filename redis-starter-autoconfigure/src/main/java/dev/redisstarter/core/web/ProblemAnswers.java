package dev.redisstarter.core.web;

import java.net.URI;
import java.time.Duration;

import org.apache.commons.logging.Log;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Builds the problem answers of the starter's exception handlers, so that every capability answers alike: an
 * RFC 9457 body with one of the {@link ProblemTypes}, and a {@code Retry-After} header field in whole seconds,
 * rounded up and at least 1, so that a client that waits it out is never early. The rules every handler follows
 * (docs/resilience.md, "HTTP answers", lists each exception):
 * <ul>
 * <li>every 503 (Redis unavailable) and every answer a retry can cure (409 for a busy lock, 429) carries
 * {@code Retry-After}; the others (401, 409 for the session limit, 413, 500) do not;</li>
 * <li>a 503 is logged at WARN at most every 10 s per capability and at DEBUG in between ({@link UnavailableAnswer});
 * every other answer at DEBUG ({@link #logAnswered}); never with a stack trace;</li>
 * <li>no problem of a 503 or a 500 holds anything the caller sent (a key, an id, a name), apart from the
 * {@code instance} Spring MVC sets to the request's path: the log has it.</li>
 * </ul>
 * The handlers are ordered at {@link #ORDER}.
 */
public final class ProblemAnswers {

	/**
	 * The order of the starter's exception handlers: early, so that an application's catch-all handler (an
	 * {@code @ExceptionHandler(Exception.class)} in an advice without an order) does not turn their answers into a
	 * 500, yet after {@link Ordered#HIGHEST_PRECEDENCE}, so that an application's advice ordered there answers the
	 * same exceptions first. An {@code @ExceptionHandler} in the controller itself always goes first, and a bean of
	 * a handler's type replaces the starter's. The fallback for Spring Data Redis's own failures
	 * ({@link RedisUnavailableExceptionHandler}) is ordered last instead.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;

	private ProblemAnswers() {
	}

	/**
	 * A problem of one of the {@link ProblemTypes}, titled with the status's reason phrase.
	 * @param status the status
	 * @param type the problem's type
	 * @param detail the problem's detail, safe to show a client
	 * @return the problem
	 */
	public static ProblemDetail problem(HttpStatus status, URI type, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		return problem;
	}

	/**
	 * The problem's {@code instance} for a request path: the path itself, or, when it is longer than
	 * {@value #MAX_INSTANCE_LENGTH} characters (a key taken from the path and refused for its length), its first
	 * whole segments followed by {@code ...}, so that the answer does not echo what was refused.
	 * @param requestUri the request's URI as sent (percent-encoded)
	 * @return the instance
	 */
	public static URI instanceOf(String requestUri) {
		String path = requestUri;
		if (path.length() > MAX_INSTANCE_LENGTH) {
			// Whole segments only, from the start: the refused part is a segment (or in one), never repeated.
			int end = path.lastIndexOf('/', 64);
			path = path.substring(0, Math.max(end, 0) + 1) + "...";
		}
		try {
			return URI.create(path);
		}
		catch (IllegalArgumentException ex) {
			return URI.create("about:blank");
		}
	}

	/** The longest request path a problem's {@code instance} repeats whole. */
	static final int MAX_INSTANCE_LENGTH = 256;

	/**
	 * Logs an answer other than a 503 (those go through {@link UnavailableAnswer}): at DEBUG, without a stack trace.
	 * @param logger the handler's logger
	 * @param status what the client was told
	 * @param ex the exception answered
	 */
	public static void logAnswered(Log logger, HttpStatus status, Throwable ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("Answered " + status.value() + ": " + ex.getMessage());
		}
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
