package dev.redisstarter.ratelimit.web;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.redisstarter.core.web.ProblemAnswers;
import dev.redisstarter.core.web.ProblemTypes;
import dev.redisstarter.ratelimit.RateLimitExceededException;
import dev.redisstarter.ratelimit.RateLimitResult;

/**
 * The RFC 9457 problem for a rejected request: 429 Too Many Requests (type {@link ProblemTypes#RATE_LIMITED}, or
 * {@link ProblemTypes#RATE_LIMIT_EXCEEDED_BY_COST} when no wait can help), or 503 Service Unavailable (type
 * {@link ProblemTypes#REDIS_UNAVAILABLE}) when a fail-closed limit could not reach Redis. Each is logged here at
 * DEBUG; the limiter itself logs Redis being unavailable at WARN at most every 10 s.
 */
final class RateLimitProblems {

	private static final Log logger = LogFactory.getLog(RateLimitProblems.class);

	private RateLimitProblems() {
	}

	static ProblemDetail of(RateLimitExceededException ex, String path) {
		RateLimitResult result = ex.getResult();
		HttpStatus status = (result.decision() == RateLimitResult.Decision.FAILED_CLOSED) ? HttpStatus.SERVICE_UNAVAILABLE
				: HttpStatus.TOO_MANY_REQUESTS;
		ProblemDetail problem = ProblemAnswers.problem(status, typeOf(result.decision()), detail(result));
		ProblemAnswers.logAnswered(logger, status, ex);
		problem.setInstance(ProblemAnswers.instanceOf(path));
		problem.setProperty("policy", result.policy());
		return problem;
	}

	private static java.net.URI typeOf(RateLimitResult.Decision decision) {
		return switch (decision) {
			case FAILED_CLOSED -> ProblemTypes.REDIS_UNAVAILABLE;
			case EXCEEDS_CAPACITY -> ProblemTypes.RATE_LIMIT_EXCEEDED_BY_COST;
			default -> ProblemTypes.RATE_LIMITED;
		};
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
