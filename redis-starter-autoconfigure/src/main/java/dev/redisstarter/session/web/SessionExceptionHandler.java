package dev.redisstarter.session.web;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.core.web.ProblemAnswers;
import dev.redisstarter.core.web.ProblemTypes;
import dev.redisstarter.core.web.UnavailableAnswer;
import dev.redisstarter.session.SessionLimitExceededException;
import dev.redisstarter.session.SessionNotFoundException;
import dev.redisstarter.session.SessionStoreUnavailableException;

/**
 * Answers session failures in controllers with RFC 9457 problems: 401 (type {@link ProblemTypes#SESSION_REQUIRED},
 * with {@code WWW-Authenticate: Bearer}) for a missing or ended session, 409 (type
 * {@link ProblemTypes#SESSION_LIMIT_REACHED}) when the per-user limit refuses a new session, both logged at DEBUG;
 * and, as every capability answers Redis being unavailable ({@link UnavailableAnswer}), 503 with
 * {@code Retry-After}, logged at WARN at most every 10 s. None is logged with a stack trace.
 * <p>
 * Ordered at {@link ProblemAnswers#ORDER}, so that an application's catch-all handler does not turn these into a
 * 500; an {@code @ExceptionHandler} in the controller itself, or in an advice ordered before it, still wins, and a
 * bean of this type replaces this one.
 */
@RestControllerAdvice
@Order(ProblemAnswers.ORDER)
public class SessionExceptionHandler {

	/** The default {@code Retry-After} of a 503. */
	public static final Duration DEFAULT_RETRY_AFTER = UnavailableAnswer.DEFAULT_RETRY_AFTER;

	private static final Log logger = LogFactory.getLog(SessionExceptionHandler.class);

	private final UnavailableAnswer unavailable;

	/** A handler that asks clients to retry a 503 after {@link #DEFAULT_RETRY_AFTER}. */
	public SessionExceptionHandler() {
		this(DEFAULT_RETRY_AFTER);
	}

	/**
	 * A handler.
	 * @param retryAfter how long clients are asked to wait after a 503 (positive)
	 */
	public SessionExceptionHandler(Duration retryAfter) {
		this.unavailable = new UnavailableAnswer(retryAfter, logger);
	}

	/**
	 * A request without a live session.
	 * @param ex the failure
	 * @return 401
	 */
	@ExceptionHandler(SessionRequiredException.class)
	public ResponseEntity<ProblemDetail> sessionRequired(SessionRequiredException ex) {
		return unauthorized(ex);
	}

	/**
	 * A session id that names no live session (refresh, update, rotate of an ended session). Its message holds
	 * no id.
	 * @param ex the failure
	 * @return 401
	 */
	@ExceptionHandler(SessionNotFoundException.class)
	public ResponseEntity<ProblemDetail> sessionNotFound(SessionNotFoundException ex) {
		return unauthorized(ex);
	}

	/**
	 * A login refused by the per-user limit.
	 * @param ex the failure
	 * @return 409
	 */
	@ExceptionHandler(SessionLimitExceededException.class)
	public ProblemDetail limitExceeded(SessionLimitExceededException ex) {
		ProblemAnswers.logAnswered(logger, HttpStatus.CONFLICT, ex);
		return ProblemAnswers.problem(HttpStatus.CONFLICT, ProblemTypes.SESSION_LIMIT_REACHED, ex.getMessage());
	}

	/**
	 * Redis unavailable.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(SessionStoreUnavailableException.class)
	public ResponseEntity<ProblemDetail> unavailable(SessionStoreUnavailableException ex) {
		return this.unavailable.answer("Sessions are unavailable; retry later.", ex);
	}

	private static ResponseEntity<ProblemDetail> unauthorized(RuntimeException ex) {
		ProblemAnswers.logAnswered(logger, HttpStatus.UNAUTHORIZED, ex);
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
			.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.body(ProblemAnswers.problem(HttpStatus.UNAUTHORIZED, ProblemTypes.SESSION_REQUIRED, ex.getMessage()));
	}

}
