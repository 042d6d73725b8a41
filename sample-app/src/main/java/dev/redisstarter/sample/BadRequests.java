package dev.redisstarter.sample;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.web.InputLimitExceptionHandler;
import dev.redisstarter.core.web.ProblemAnswers;

/**
 * The sample's answer to an {@code IllegalArgumentException} in its controllers: 400 with the message, except for
 * the starter's {@link InputLimitExceededException} (a value over one of its bounds, which is one), answered 413 as
 * the starter answers it, without repeating the refused data. A controller's own handler goes before the starter's
 * advice, so each controller that has one delegates here.
 */
public final class BadRequests {

	private BadRequests() {
	}

	/**
	 * The problem for an illegal argument.
	 * @param ex the exception
	 * @param request the request (its path, cut to its first segments when long, is the problem's instance)
	 * @return 413 for data over a bound, 400 otherwise
	 */
	public static ProblemDetail problem(IllegalArgumentException ex, HttpServletRequest request) {
		if (ex instanceof InputLimitExceededException tooLarge) {
			return InputLimitExceptionHandler.problemOf(tooLarge, request.getRequestURI());
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		// Spring would repeat the whole path as the instance; a key taken from it may be long.
		problem.setInstance(ProblemAnswers.instanceOf(request.getRequestURI()));
		return problem;
	}

}
