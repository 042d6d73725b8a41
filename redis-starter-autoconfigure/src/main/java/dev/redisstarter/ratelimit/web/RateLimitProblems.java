package dev.redisstarter.ratelimit.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.redisstarter.ratelimit.RateLimitExceededException;
import dev.redisstarter.ratelimit.RateLimitResult;

/**
 * The RFC 9457 problem for a rejected request: 429 Too Many Requests, or 503 Service Unavailable when a
 * fail-closed limit could not reach Redis.
 */
final class RateLimitProblems {

	private RateLimitProblems() {
	}

	static ProblemDetail of(RateLimitExceededException ex, String path) {
		RateLimitResult result = ex.getResult();
		HttpStatus status = (result.decision() == RateLimitResult.Decision.FAILED_CLOSED) ? HttpStatus.SERVICE_UNAVAILABLE
				: HttpStatus.TOO_MANY_REQUESTS;
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(result));
		problem.setInstance(java.net.URI.create(path));
		problem.setProperty("policy", result.policy());
		return problem;
	}

	private static String detail(RateLimitResult result) {
		String limit = "'" + result.policy() + "' (" + result.limit() + " per " + humane(result.window()) + ")";
		long retry = Math.max(1, RateLimitHeaders.seconds(result.retryAfter()));
		return switch (result.decision()) {
			case EXCEEDS_CAPACITY -> "This request costs more than rate limit " + limit + " allows, so it can never pass.";
			case BLOCKED -> "Blocked by rate limit " + limit + "; retry after " + retry + " s.";
			case FAILED_CLOSED -> "The rate limiter is unavailable and rate limit '" + result.policy()
					+ "' refuses requests until it is back.";
			default -> "Rate limit " + limit + " reached; retry after " + retry + " s.";
		};
	}

	private static String humane(java.time.Duration window) {
		long seconds = RateLimitHeaders.seconds(window);
		return (seconds == 1) ? "second" : seconds + " s";
	}

}
