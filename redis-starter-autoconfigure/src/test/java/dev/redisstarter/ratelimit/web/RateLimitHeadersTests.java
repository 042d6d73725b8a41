package dev.redisstarter.ratelimit.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.ratelimit.RateLimitResult.Decision;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitHeadersTests {

	private final RateLimitResult rejected = new RateLimitResult(false, 10, 0, Duration.ofMillis(6200),
			Duration.ofMillis(2100), Decision.REJECTED, "api", Duration.ofSeconds(10));

	@Test
	void writesTheIetfFieldsWithSecondsRoundedUp() {
		Map<String, String> headers = write(HeaderStyle.IETF, this.rejected);
		assertThat(headers).containsEntry("RateLimit-Policy", "\"api\";q=10;w=10")
			.containsEntry("RateLimit", "\"api\";r=0;t=7")
			.containsEntry("Retry-After", "3")
			.doesNotContainKey("X-RateLimit-Limit");
	}

	@Test
	void writesTheLegacyFieldsWhenAsked() {
		Map<String, String> headers = write(HeaderStyle.LEGACY, this.rejected);
		assertThat(headers).containsEntry("X-RateLimit-Limit", "10")
			.containsEntry("X-RateLimit-Remaining", "0")
			.containsEntry("X-RateLimit-Reset", "7")
			.doesNotContainKey("RateLimit");
		assertThat(write(HeaderStyle.BOTH, this.rejected)).containsKeys("RateLimit", "X-RateLimit-Limit");
	}

	@Test
	void anAllowedResponseHasNoRetryAfter() {
		RateLimitResult allowed = new RateLimitResult(true, 10, 4, Duration.ofSeconds(5), Duration.ZERO, Decision.ALLOWED,
				"api", Duration.ofSeconds(10));
		assertThat(write(HeaderStyle.IETF, allowed)).containsEntry("RateLimit", "\"api\";r=4;t=5").doesNotContainKey("Retry-After");
	}

	@Test
	void aRequestLetThroughWhileTheLimiterFailsOpenGetsNoRateLimitFields() {
		RateLimitResult failedOpen = new RateLimitResult(true, 10, 10, Duration.ZERO, Duration.ZERO, Decision.FAILED_OPEN,
				"api", Duration.ofSeconds(10));
		for (HeaderStyle style : HeaderStyle.values()) {
			assertThat(write(style, failedOpen)).as(style.name()).isEmpty();
		}
	}

	private static Map<String, String> write(HeaderStyle style, RateLimitResult result) {
		Map<String, String> headers = new LinkedHashMap<>();
		new RateLimitHeaders(style).write(result, headers::put);
		return headers;
	}

}
