package dev.redisstarter.session.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.session.SessionLimitExceededException;
import dev.redisstarter.session.SessionNotFoundException;
import dev.redisstarter.session.SessionStoreUnavailableException;

/**
 * Answers session failures in controllers with RFC 9457 problems: 401 (with {@code WWW-Authenticate: Bearer})
 * for a missing or ended session, 409 when the per-user limit refuses a new session, 503 when Redis is
 * unavailable.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SessionExceptionHandler {

	/**
	 * A request without a live session.
	 * @param ex the failure
	 * @return 401
	 */
	@ExceptionHandler(SessionRequiredException.class)
	public ResponseEntity<ProblemDetail> sessionRequired(SessionRequiredException ex) {
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
			.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, ex.getMessage()));
	}

	/**
	 * A session id that names no live session (refresh, update, rotate of an ended session). Its message holds
	 * no id.
	 * @param ex the failure
	 * @return 401
	 */
	@ExceptionHandler(SessionNotFoundException.class)
	public ResponseEntity<ProblemDetail> sessionNotFound(SessionNotFoundException ex) {
		return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
			.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, ex.getMessage()));
	}

	/**
	 * A login refused by the per-user limit.
	 * @param ex the failure
	 * @return 409
	 */
	@ExceptionHandler(SessionLimitExceededException.class)
	public ProblemDetail limitExceeded(SessionLimitExceededException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

	/**
	 * Redis unavailable.
	 * @param ex the failure
	 * @return 503
	 */
	@ExceptionHandler(SessionStoreUnavailableException.class)
	public ProblemDetail unavailable(SessionStoreUnavailableException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "Sessions are unavailable; retry later");
	}

}
