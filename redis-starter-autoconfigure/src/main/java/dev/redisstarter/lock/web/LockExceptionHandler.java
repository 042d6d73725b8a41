package dev.redisstarter.lock.web;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.core.web.ProblemAnswers;
import dev.redisstarter.core.web.UnavailableLog;
import dev.redisstarter.lock.LockNotAcquiredException;
import dev.redisstarter.lock.LockUnavailableException;

/**
 * Answers lock failures in controllers with RFC 9457 problems and {@code Retry-After}: 409 Conflict (with the
 * lock's name in the detail and in the {@code lock} property) when the lock was held elsewhere for the whole
 * wait, 503 Service Unavailable when Redis could not be reached. Neither is logged at ERROR nor with a stack
 * trace: a busy lock at DEBUG, Redis unavailable at WARN at most every 10 s.
 * <p>
 * Ordered first, so that an application's catch-all handler does not turn these into a 500; an
 * {@code @ExceptionHandler} in the controller itself still wins, and a bean of this type replaces this one.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class LockExceptionHandler {

	/** The default {@code Retry-After} of a 409: a lock is usually held briefly. */
	public static final Duration DEFAULT_BUSY_RETRY_AFTER = Duration.ofSeconds(1);

	/** The default {@code Retry-After} of a 503. */
	public static final Duration DEFAULT_UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(LockExceptionHandler.class);

	private final UnavailableLog unavailableLog = new UnavailableLog(logger);

	private final Duration busyRetryAfter;

	private final Duration unavailableRetryAfter;

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
		this.unavailableRetryAfter = ProblemAnswers.requirePositive(unavailableRetryAfter, "unavailableRetryAfter");
	}

	/**
	 * The lock was held elsewhere for the whole wait.
	 * @param ex the failure
	 * @return 409 with {@code Retry-After}
	 */
	@ExceptionHandler(LockNotAcquiredException.class)
	public ResponseEntity<ProblemDetail> notAcquired(LockNotAcquiredException ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("Answered 409: " + ex.getMessage());
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Lock '" + ex.getLockName()
				+ "' is held by another request; retry after "
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
		this.unavailableLog.answered("503", ex);
		return ProblemAnswers.withRetryAfter(HttpStatus.SERVICE_UNAVAILABLE, "Locks are unavailable; retry later.",
				this.unavailableRetryAfter);
	}

}
