package dev.redisstarter.core.web;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.core.InputLimitExceededException;

/**
 * Answers an {@link InputLimitExceededException} in a controller with 413 Content Too Large and an RFC 9457
 * problem of type {@link ProblemTypes#INPUT_TOO_LARGE} that names the bound, its property and the size (never the
 * data: the exception does not carry it), logged at DEBUG.
 * <p>
 * Ordered at {@link ProblemAnswers#ORDER}, so that a catch-all handler does not turn it into a 500; an
 * {@code @ExceptionHandler} for {@code IllegalArgumentException} in the controller itself still wins (the exception
 * is one), as does an application's advice ordered before it, and a bean of this type replaces this one.
 */
@RestControllerAdvice
@Order(ProblemAnswers.ORDER)
public class InputLimitExceptionHandler {

	private static final Log logger = LogFactory.getLog(InputLimitExceptionHandler.class);

	/**
	 * Data over a bound.
	 * @param ex the failure
	 * @return 413
	 */
	@ExceptionHandler(InputLimitExceededException.class)
	public ProblemDetail tooLarge(InputLimitExceededException ex, HttpServletRequest request) {
		ProblemAnswers.logAnswered(logger, HttpStatus.CONTENT_TOO_LARGE, ex);
		return problemOf(ex, request.getRequestURI());
	}

	/**
	 * The problem answered for data over a bound: for filters that answer it themselves, and for a controller whose
	 * own {@code @ExceptionHandler(IllegalArgumentException.class)} would take it first (add a handler for this
	 * exception there that returns this).
	 * @param ex the failure
	 * @param requestUri the request's URI, shortened in the answer when long (it may hold the refused data)
	 * @return a 413 problem naming the bound, its property and the size
	 */
	public static ProblemDetail problemOf(InputLimitExceededException ex, String requestUri) {
		ProblemDetail problem = ProblemAnswers.problem(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.INPUT_TOO_LARGE,
				ex.getMessage());
		problem.setProperty("limit", ex.getLimit());
		problem.setProperty("size", ex.getSize());
		problem.setProperty("property", ex.getProperty());
		problem.setInstance(ProblemAnswers.instanceOf(requestUri));
		return problem;
	}

}
