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

import dev.redisstarter.core.RedisDeadlineExceededException;
import dev.redisstarter.core.RedisPermissionException;

/**
 * The fallback for Redis failures that reach a controller without a capability's own handler: a
 * {@link RedisConnectionFailureException} or a {@link QueryTimeoutException} that came from Redis (how Spring Data
 * Redis reports a command timeout; another data store's timeout is left to the application), such as the application's own commands through {@code RedisCalls} raise, is answered like every
 * "Redis unavailable" of the starter ({@link UnavailableAnswer}: 503, {@code Retry-After}, type
 * {@link ProblemTypes#REDIS_UNAVAILABLE}, WARN at most every 10 s), instead of a 500 with a stack trace at ERROR. A
 * {@link RedisPermissionException} is answered 500 (type {@link ProblemTypes#PERMISSION_REFUSED}) without details.
 * <p>
 * Ordered last, unlike the capabilities' handlers ({@link ProblemAnswers#ORDER}): these are the application's own
 * failures as much as the starter's, so the application's handlers go before it; an application advice without an
 * {@code @Order} ties with it and still comes first, since auto-configured beans are registered after the
 * application's own.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class RedisUnavailableExceptionHandler {

	/** The default {@code Retry-After}. */
	public static final Duration DEFAULT_RETRY_AFTER = UnavailableAnswer.DEFAULT_RETRY_AFTER;

	private static final Log logger = LogFactory.getLog(RedisUnavailableExceptionHandler.class);

	private final UnavailableAnswer unavailable;

	/** A handler that asks clients to retry after {@link #DEFAULT_RETRY_AFTER}. */
	public RedisUnavailableExceptionHandler() {
		this(DEFAULT_RETRY_AFTER);
	}

	/**
	 * A handler.
	 * @param retryAfter how long clients are asked to wait (positive)
	 */
	public RedisUnavailableExceptionHandler(Duration retryAfter) {
		this.unavailable = new UnavailableAnswer(retryAfter, logger);
	}

	/**
	 * Redis could not be reached.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(RedisConnectionFailureException.class)
	public ResponseEntity<ProblemDetail> connectionFailure(RedisConnectionFailureException ex) {
		return this.unavailable.answer("Redis is unavailable; retry later.", ex);
	}

	/**
	 * Redis refused a command, key or channel to the application's user: a configuration error, logged once with
	 * what to grant by the starter (here at DEBUG); answered 500 without details (they are for operators, not
	 * callers).
	 * @param ex the refusal
	 * @return 500
	 */
	@ExceptionHandler(RedisPermissionException.class)
	public ResponseEntity<ProblemDetail> permissionRefused(RedisPermissionException ex) {
		ProblemAnswers.logAnswered(logger, HttpStatus.INTERNAL_SERVER_ERROR, ex);
		return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(ProblemAnswers.problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.PERMISSION_REFUSED,
					"The application's data store refused an operation (a permission error); an operator must fix it."));
	}

	/**
	 * A Redis command did not answer in time. Other data stores' timeouts (a JDBC or JPA query) are the
	 * application's, not Redis's: they are left to the application's own handling, as if this handler did not exist.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 * @throws QueryTimeoutException the same exception, when it did not come from Redis
	 */
	@ExceptionHandler(QueryTimeoutException.class)
	public ResponseEntity<ProblemDetail> timeout(QueryTimeoutException ex) {
		if (!fromRedis(ex)) {
			// Rethrowing the exception itself makes Spring MVC go on as if no handler had matched.
			throw ex;
		}
		return this.unavailable.answer("Redis did not answer in time; retry later.", ex);
	}

	/**
	 * Whether a timeout came from Redis: the starter's own deadline, or a client's command timeout that Spring Data
	 * Redis translated (its cause is the client's exception).
	 */
	static boolean fromRedis(QueryTimeoutException ex) {
		if (ex instanceof RedisDeadlineExceededException) {
			return true;
		}
		for (Throwable cause = ex.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
			String type = cause.getClass().getName();
			if (type.startsWith("io.lettuce.") || type.startsWith("redis.clients.")
					|| type.startsWith("org.springframework.data.redis.")) {
				return true;
			}
		}
		return false;
	}

}
