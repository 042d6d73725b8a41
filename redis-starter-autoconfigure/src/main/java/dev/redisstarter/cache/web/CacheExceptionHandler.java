package dev.redisstarter.cache.web;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.cache.CacheUnavailableException;
import dev.redisstarter.core.web.ProblemAnswers;
import dev.redisstarter.core.web.UnavailableAnswer;

/**
 * Answers a {@link CacheUnavailableException} (thrown only when {@code redis.starter.cache.fail-on-redis-down}
 * is set; by default the cache calls the loader instead) in a controller as every capability answers Redis being
 * unavailable ({@link UnavailableAnswer}: 503, {@code Retry-After}, WARN at most every 10 s). The problem does not
 * show the cache key.
 * <p>
 * Ordered at {@link ProblemAnswers#ORDER}, so that an application's catch-all handler does not turn it into a 500;
 * an {@code @ExceptionHandler} in the controller itself, or in an advice ordered before it, still wins, and a bean
 * of this type replaces this one.
 */
@RestControllerAdvice
@Order(ProblemAnswers.ORDER)
public class CacheExceptionHandler {

	/** The default {@code Retry-After}. */
	public static final Duration DEFAULT_RETRY_AFTER = UnavailableAnswer.DEFAULT_RETRY_AFTER;

	private static final Log logger = LogFactory.getLog(CacheExceptionHandler.class);

	private final UnavailableAnswer unavailable;

	/** A handler that asks clients to retry after {@link #DEFAULT_RETRY_AFTER}. */
	public CacheExceptionHandler() {
		this(DEFAULT_RETRY_AFTER);
	}

	/**
	 * A handler.
	 * @param retryAfter how long clients are asked to wait (positive)
	 */
	public CacheExceptionHandler(Duration retryAfter) {
		this.unavailable = new UnavailableAnswer(retryAfter, logger);
	}

	/**
	 * Redis could not be reached and the cache says so.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(CacheUnavailableException.class)
	public ResponseEntity<ProblemDetail> unavailable(CacheUnavailableException ex) {
		return this.unavailable.answer("The cache is unavailable; retry later.", ex);
	}

}
