package dev.redisstarter.leaderboard.web;

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
import dev.redisstarter.leaderboard.LeaderboardUnavailableException;

/**
 * Answers a {@link LeaderboardUnavailableException} in a controller with 503 Service Unavailable,
 * {@code Retry-After} and an RFC 9457 problem naming the board (also in its {@code board} property), logged at
 * WARN without a stack trace (at most every 10 s, DEBUG in between).
 * <p>
 * Ordered first, so that an application's catch-all handler does not turn it into a 500; an
 * {@code @ExceptionHandler} in the controller itself still wins, and a bean of this type replaces this one.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class LeaderboardExceptionHandler {

	/** The default {@code Retry-After}. */
	public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(LeaderboardExceptionHandler.class);

	private final UnavailableLog log = new UnavailableLog(logger);

	private final Duration retryAfter;

	/** A handler that asks clients to retry after {@link #DEFAULT_RETRY_AFTER}. */
	public LeaderboardExceptionHandler() {
		this(DEFAULT_RETRY_AFTER);
	}

	/**
	 * A handler.
	 * @param retryAfter how long clients are asked to wait (positive)
	 */
	public LeaderboardExceptionHandler(Duration retryAfter) {
		this.retryAfter = ProblemAnswers.requirePositive(retryAfter, "retryAfter");
	}

	/**
	 * Redis could not be reached for a leaderboard.
	 * @param ex the failure
	 * @return 503 with {@code Retry-After}
	 */
	@ExceptionHandler(LeaderboardUnavailableException.class)
	public ResponseEntity<ProblemDetail> unavailable(LeaderboardUnavailableException ex) {
		this.log.answered("503", ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"Leaderboard '" + ex.getBoard() + "' is unavailable; retry later.");
		problem.setProperty("board", ex.getBoard());
		return ProblemAnswers.withRetryAfter(problem, this.retryAfter);
	}

}
