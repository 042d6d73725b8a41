package dev.redisstarter.core.web;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.core.RedisPermissionException;

/**
 * The fallback for Redis failures that reach a controller without a capability's own exception: a
 * {@link RedisConnectionFailureException} or a {@link QueryTimeoutException} (how Spring Data Redis reports a
 * command timeout) is answered 503 Service Unavailable with {@code Retry-After} and an RFC 9457 problem, and
 * logged at WARN without a stack trace (at most every 10 s, DEBUG in between), instead of a 500 with a stack
 * trace at ERROR. The starter's own refusals (circuit open, deadline passed) are subclasses of these two, so
 * they are answered the same way.
 * <p>
 * Ordered last, so that the application's handlers and the starter's capabilities' go before it: an application
 * advice without an {@code @Order} ties with it and still comes first, since auto-configured beans are registered
 * after the application's own.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class RedisUnavailableExceptionHandler {

	/** The default {@code Retry-After}. */
	public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(RedisUnavailableExceptionHandler.class);

	private final UnavailableLog log = new UnavailableLog(logger);

	private final Duration retryAfter;

	/** A handler that asks clients to retry after {@link #DEFAULT_RETRY_AFTER}. */
	public RedisUnavailableExceptionHandler() {
		this(DEFAULT_RETRY_AFTER);
	}

	/**
	 * A handler.
	 * @param retryAfter how long clients are asked to wait (positive)
	 */
	public RedisUnavailableExceptionHandler(Duration retryAfter) {
		this.retryAfter = ProblemAnswers.requirePositive(retryAfter, "retryAfter");
	}

	/**
	 * Redis could not be reached.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(RedisConnectionFailureException.class)
	public ResponseEntity<ProblemDetail> connectionFailure(RedisConnectionFailureException ex) {
		this.log.answered("503", ex);
		return ProblemAnswers.withRetryAfter(HttpStatus.SERVICE_UNAVAILABLE, "Redis is unavailable; retry later.",
				this.retryAfter);
	}

	/**
	 * Redis refused a command, key or channel to the application's user: a configuration error, logged once with
	 * what to grant by the starter; answered 500 without details (they are for operators, not callers).
	 * @param ex the refusal
	 * @return 500
	 */
	@ExceptionHandler(RedisPermissionException.class)
	public ResponseEntity<ProblemDetail> permissionRefused(RedisPermissionException ex) {
		logger.debug("Answered 500: " + ex.getMessage());
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
					"The application's data store refused an operation (a permission error); an operator must fix it."));
	}

	/**
	 * A command did not answer in time.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(QueryTimeoutException.class)
	public ResponseEntity<ProblemDetail> timeout(QueryTimeoutException ex) {
		this.log.answered("503", ex);
		return ProblemAnswers.withRetryAfter(HttpStatus.SERVICE_UNAVAILABLE,
				"A data store did not answer in time; retry later.", this.retryAfter);
	}

}
