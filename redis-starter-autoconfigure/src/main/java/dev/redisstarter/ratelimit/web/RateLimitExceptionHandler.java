package dev.redisstarter.ratelimit.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.redisstarter.core.web.ProblemAnswers;
import dev.redisstarter.ratelimit.RateLimitExceededException;

/**
 * Turns a {@link RateLimitExceededException} from a controller into a 429 (or 503 for a fail-closed limit
 * without Redis) with an RFC 9457 problem body, {@code Retry-After} and the rate-limit header fields.
 * Ordered at {@link ProblemAnswers#ORDER}, so that an application's catch-all handler does not turn it into a 500;
 * an {@code @ExceptionHandler} in the controller itself, or in an advice ordered before it, still wins, and a bean
 * of this type replaces this one.
 */
@RestControllerAdvice
@Order(ProblemAnswers.ORDER)
public class RateLimitExceptionHandler {

	private final RateLimitHeaders headers;

	/**
	 * A handler.
	 * @param headers writes the header fields
	 */
	public RateLimitExceptionHandler(RateLimitHeaders headers) {
		this.headers = headers;
	}

	/**
	 * Answers a rejected request.
	 * @param ex the rejection
	 * @param request the request
	 * @return the problem response
	 */
	@ExceptionHandler(RateLimitExceededException.class)
	public ResponseEntity<ProblemDetail> rateLimitExceeded(RateLimitExceededException ex, HttpServletRequest request) {
		ProblemDetail problem = RateLimitProblems.of(ex, request.getRequestURI());
		HttpHeaders responseHeaders = new HttpHeaders();
		this.headers.write(ex.getResult(), responseHeaders::set);
		return ResponseEntity.status(problem.getStatus()).headers(responseHeaders).body(problem);
	}

}
