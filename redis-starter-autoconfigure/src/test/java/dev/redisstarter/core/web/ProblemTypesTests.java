package dev.redisstarter.core.web;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.RedisPermissionException;
import dev.redisstarter.lock.LockNotAcquiredException;
import dev.redisstarter.lock.web.LockExceptionHandler;
import dev.redisstarter.ratelimit.RateLimitExceededException;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.ratelimit.RateLimitResult.Decision;
import dev.redisstarter.ratelimit.web.HeaderStyle;
import dev.redisstarter.ratelimit.web.RateLimitExceptionHandler;
import dev.redisstarter.ratelimit.web.RateLimitHeaders;
import dev.redisstarter.session.SessionLimitExceededException;
import dev.redisstarter.session.SessionNotFoundException;
import dev.redisstarter.session.web.SessionExceptionHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers other than "Redis unavailable" use the same vocabulary: a problem type of the starter's, the status's
 * reason phrase as title, and {@code Retry-After} exactly when a wait can cure the problem.
 */
class ProblemTypesTests {

	@Test
	void aBusyLockIsALockBusyProblemWithRetryAfter() {
		ResponseEntity<ProblemDetail> answer = new LockExceptionHandler()
			.notAcquired(new LockNotAcquiredException("order:1", Duration.ofSeconds(2)));
		assertAnswer(answer, 409, ProblemTypes.LOCK_BUSY, "1");
	}

	@Test
	void aMissingSessionAndTheSessionLimitAreSessionProblemsWithoutRetryAfter() {
		SessionExceptionHandler handler = new SessionExceptionHandler();
		assertAnswer(handler.sessionNotFound(new SessionNotFoundException("token")), 401, ProblemTypes.SESSION_REQUIRED,
				null);
		ProblemDetail limit = handler.limitExceeded(new SessionLimitExceededException("u1", 3));
		assertThat(limit.getStatus()).isEqualTo(409);
		assertThat(limit.getType()).isEqualTo(ProblemTypes.SESSION_LIMIT_REACHED);
	}

	@Test
	void dataOverABoundIsAnInputTooLargeProblem() {
		ProblemDetail problem = new InputLimitExceptionHandler().tooLarge(
				new InputLimitExceededException("A session", 70_000, 65_536, "bytes", "redis.starter.session.max-size"),
				new org.springframework.mock.web.MockHttpServletRequest("POST", "/api/sessions"));
		assertThat(problem.getStatus()).isEqualTo(413);
		assertThat(problem.getType()).isEqualTo(ProblemTypes.INPUT_TOO_LARGE);
		assertThat(problem.getTitle()).isEqualTo("Content Too Large");
		assertThat(problem.getInstance()).hasToString("/api/sessions");
	}

	@Test
	void aLongRequestPathIsNotEchoedWholeInTheProblem() {
		assertThat(ProblemAnswers.instanceOf("/api/products/" + "k".repeat(2000) + "/reserve"))
			.hasToString("/api/products/...");
		assertThat(ProblemAnswers.instanceOf("/" + "k".repeat(2000))).hasToString("/...");
		assertThat(ProblemAnswers.instanceOf("/api/products/1")).hasToString("/api/products/1");
	}

	@Test
	void aPermissionRefusalIsAPermissionProblemWithoutRetryAfter() {
		ResponseEntity<ProblemDetail> answer = new RedisUnavailableExceptionHandler().permissionRefused(
				new RedisPermissionException(Feature.CACHE, "evalsha", "NOPERM", new IllegalStateException("NOPERM")));
		assertAnswer(answer, 500, ProblemTypes.PERMISSION_REFUSED, null);
	}

	@Test
	void rateLimitRejectionsAreRateLimitedOrExceededByCostAndAFailedClosedLimitIsRedisUnavailable() {
		RateLimitExceptionHandler handler = new RateLimitExceptionHandler(new RateLimitHeaders(HeaderStyle.IETF));
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/limited");
		assertAnswer(handler.rateLimitExceeded(rejection(Decision.REJECTED), request), 429, ProblemTypes.RATE_LIMITED,
				"3");
		assertAnswer(handler.rateLimitExceeded(rejection(Decision.EXCEEDS_CAPACITY), request), 429,
				ProblemTypes.RATE_LIMIT_EXCEEDED_BY_COST, null);
		assertAnswer(handler.rateLimitExceeded(rejection(Decision.FAILED_CLOSED), request), 503,
				ProblemTypes.REDIS_UNAVAILABLE, "3");
	}

	private static RateLimitExceededException rejection(Decision decision) {
		return new RateLimitExceededException("client-1", new RateLimitResult(false, 10, 0, Duration.ofSeconds(3),
				Duration.ofMillis(2500), decision, "api", Duration.ofSeconds(10)));
	}

	private static void assertAnswer(ResponseEntity<ProblemDetail> answer, int status, URI type, String retryAfter) {
		assertThat(answer.getStatusCode().value()).isEqualTo(status);
		assertThat(answer.getBody().getType()).isEqualTo(type);
		assertThat(answer.getBody().getTitle()).isEqualTo(HttpStatus.valueOf(status).getReasonPhrase());
		assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(retryAfter);
	}

}
