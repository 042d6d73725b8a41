package dev.redisstarter.leaderboard.web;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.core.web.ProblemAnswers;
import dev.redisstarter.core.web.UnavailableAnswer;
import dev.redisstarter.leaderboard.LeaderboardUnavailableException;

/**
 * Answers a {@link LeaderboardUnavailableException} in a controller as every capability answers Redis being
 * unavailable ({@link UnavailableAnswer}: 503, {@code Retry-After}, WARN at most every 10 s). The problem does not
 * name the board (a name the caller may have chosen); the log line does.
 * <p>
 * Ordered at {@link ProblemAnswers#ORDER}, so that an application's catch-all handler does not turn it into a 500;
 * an {@code @ExceptionHandler} in the controller itself, or in an advice ordered before it, still wins, and a bean
 * of this type replaces this one.
 */
@RestControllerAdvice
@Order(ProblemAnswers.ORDER)
public class LeaderboardExceptionHandler {

	/** The default {@code Retry-After}. */
	public static final Duration DEFAULT_RETRY_AFTER = UnavailableAnswer.DEFAULT_RETRY_AFTER;

	private static final Log logger = LogFactory.getLog(LeaderboardExceptionHandler.class);

	private final UnavailableAnswer unavailable;

	/** A handler that asks clients to retry after {@link #DEFAULT_RETRY_AFTER}. */
	public LeaderboardExceptionHandler() {
		this(DEFAULT_RETRY_AFTER);
	}

	/**
	 * A handler.
	 * @param retryAfter how long clients are asked to wait (positive)
	 */
	public LeaderboardExceptionHandler(Duration retryAfter) {
		this.unavailable = new UnavailableAnswer(retryAfter, logger);
	}

	/**
	 * Redis could not be reached for a leaderboard.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(LeaderboardUnavailableException.class)
	public ResponseEntity<ProblemDetail> unavailable(LeaderboardUnavailableException ex) {
		return this.unavailable.answer("Leaderboards are unavailable; retry later.", ex);
	}

}
