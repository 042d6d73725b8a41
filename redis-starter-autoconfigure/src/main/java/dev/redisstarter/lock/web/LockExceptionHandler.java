package dev.redisstarter.lock.web;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.core.web.ProblemAnswers;
import dev.redisstarter.core.web.ProblemTypes;
import dev.redisstarter.core.web.UnavailableAnswer;
import dev.redisstarter.lock.LockNotAcquiredException;
import dev.redisstarter.lock.LockUnavailableException;

/**
 * Answers lock failures in controllers with RFC 9457 problems and {@code Retry-After}: 409 Conflict (type
 * {@link ProblemTypes#LOCK_BUSY}, with the lock's name in the detail and in the {@code lock} property) when the
 * lock was held elsewhere for the whole wait, logged at DEBUG; and, as every capability answers Redis being
 * unavailable ({@link UnavailableAnswer}), 503 when Redis could not be reached, logged at WARN at most every 10 s.
 * Neither is logged with a stack trace.
 * <p>
 * Ordered at {@link ProblemAnswers#ORDER}, so that an application's catch-all handler does not turn these into a
 * 500; an {@code @ExceptionHandler} in the controller itself, or in an advice ordered before it, still wins, and a
 * bean of this type replaces this one.
 */
@RestControllerAdvice
@Order(ProblemAnswers.ORDER)
public class LockExceptionHandler {

	/** The default {@code Retry-After} of a 409: a lock is usually held briefly. */
	public static final Duration DEFAULT_BUSY_RETRY_AFTER = Duration.ofSeconds(1);

	/** The default {@code Retry-After} of a 503. */
	public static final Duration DEFAULT_UNAVAILABLE_RETRY_AFTER = UnavailableAnswer.DEFAULT_RETRY_AFTER;

	private static final Log logger = LogFactory.getLog(LockExceptionHandler.class);

	private final Duration busyRetryAfter;

	private final UnavailableAnswer unavailable;

	/** A handler with the default {@code Retry-After} times. */
	public LockExceptionHandler() {
		this(DEFAULT_BUSY_RETRY_AFTER, DEFAULT_UNAVAILABLE_RETRY_AFTER);
	}

	/**
	 * A handler.
	 * @param busyRetryAfter how long a client is asked to wait after a 409 (positive)
	 * @param unavailableRetryAfter how long a client is asked to wait after a 503 (positive)
	 */
	public LockExceptionHandler(Duration busyRetryAfter, Duration unavailableRetryAfter) {
		this.busyRetryAfter = ProblemAnswers.requirePositive(busyRetryAfter, "busyRetryAfter");
		this.unavailable = new UnavailableAnswer(
				ProblemAnswers.requirePositive(unavailableRetryAfter, "unavailableRetryAfter"), logger);
	}

	/**
	 * The lock was held elsewhere for the whole wait.
	 * @param ex the failure
	 * @return 409 with {@code Retry-After}
	 */
	@ExceptionHandler(LockNotAcquiredException.class)
	public ResponseEntity<ProblemDetail> notAcquired(LockNotAcquiredException ex) {
		ProblemAnswers.logAnswered(logger, HttpStatus.CONFLICT, ex);
		ProblemDetail problem = ProblemAnswers.problem(HttpStatus.CONFLICT, ProblemTypes.LOCK_BUSY,
				"Lock '" + ex.getLockName() + "' is held by another request; retry after "
						+ ProblemAnswers.retryAfterSeconds(this.busyRetryAfter) + " s.");
		problem.setProperty("lock", ex.getLockName());
		return ProblemAnswers.withRetryAfter(problem, this.busyRetryAfter);
	}

	/**
	 * Redis could not be reached to take or release the lock.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(LockUnavailableException.class)
	public ResponseEntity<ProblemDetail> unavailable(LockUnavailableException ex) {
		return this.unavailable.answer("Locks are unavailable; retry later.", ex);
	}

}
