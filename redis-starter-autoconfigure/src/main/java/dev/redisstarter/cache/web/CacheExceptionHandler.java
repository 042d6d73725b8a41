package dev.redisstarter.cache.web;

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

import dev.redisstarter.cache.CacheUnavailableException;
import dev.redisstarter.core.web.ProblemAnswers;
import dev.redisstarter.core.web.UnavailableLog;

/**
 * Answers a {@link CacheUnavailableException} (thrown only when {@code redis.starter.cache.fail-on-redis-down}
 * is set; by default the cache calls the loader instead) in a controller with 503 Service Unavailable,
 * {@code Retry-After} and an RFC 9457 problem, logged at WARN without a stack trace (at most every 10 s, DEBUG
 * in between). The problem does not show the cache key.
 * <p>
 * Ordered first, so that an application's catch-all handler does not turn it into a 500; an
 * {@code @ExceptionHandler} in the controller itself still wins, and a bean of this type replaces this one.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CacheExceptionHandler {

	/** The default {@code Retry-After}. */
	public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(CacheExceptionHandler.class);

	private final UnavailableLog log = new UnavailableLog(logger);

	private final Duration retryAfter;

	/** A handler that asks clients to retry after {@link #DEFAULT_RETRY_AFTER}. */
	public CacheExceptionHandler() {
		this(DEFAULT_RETRY_AFTER);
	}

	/**
	 * A handler.
	 * @param retryAfter how long clients are asked to wait (positive)
	 */
	public CacheExceptionHandler(Duration retryAfter) {
		this.retryAfter = ProblemAnswers.requirePositive(retryAfter, "retryAfter");
	}

	/**
	 * Redis could not be reached and the cache says so.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(CacheUnavailableException.class)
	public ResponseEntity<ProblemDetail> unavailable(CacheUnavailableException ex) {
		this.log.answered("503", ex);
		return ProblemAnswers.withRetryAfter(HttpStatus.SERVICE_UNAVAILABLE, "The cache is unavailable; retry later.",
				this.retryAfter);
	}

}
