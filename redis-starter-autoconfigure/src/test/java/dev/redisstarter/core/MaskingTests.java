package dev.redisstarter.core;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;

import dev.redisstarter.cache.CacheUnavailableException;
import dev.redisstarter.leaderboard.LeaderboardUnavailableException;
import dev.redisstarter.ratelimit.RateLimitExceededException;
import dev.redisstarter.ratelimit.RateLimitResult;
import dev.redisstarter.session.SessionLimitExceededException;

import static org.assertj.core.api.Assertions.assertThat;

/** A caller's data in a message is a few characters and its length, never the whole of it. */
class MaskingTests {

	@Test
	void aValueIsShownByAThirdOfItsCharactersAtMostEightAndItsLength() {
		assertThat(Masking.mask("alice@example.com")).isEqualTo("'alice…' (17 chars)");
		assertThat(Masking.mask("bob")).isEqualTo("'b…' (3 chars)");
		assertThat(Masking.mask("ab")).isEqualTo("'…' (2 chars)");
		assertThat(Masking.mask("product:" + "9".repeat(100))).isEqualTo("'product:…' (108 chars)");
		assertThat(Masking.mask((String) null)).isEqualTo("null");
		assertThat(Masking.mask(List.of("product:12345", "x"))).isEqualTo("['prod…' (13 chars), '…' (1 chars)]");
	}

	@Test
	void aTenMegabyteValueMakesAShortMessage() {
		String huge = "u".repeat(10 * 1024 * 1024);
		assertThat(Masking.mask(huge)).hasSizeLessThan(40);
	}

	@Test
	void aSurrogatePairIsNotCutInHalf() {
		String emoji = "\uD83D\uDE00";
		// 9 chars: the third shown would be the first half of the pair.
		assertThat(Masking.mask("ab" + emoji + "cdefg")).isEqualTo("'ab…' (9 chars)");
	}

	@Test
	void exceptionsThatNameACallersDataDoNotCarryItWhole() {
		String input = "user-" + "secretish".repeat(20);
		QueryTimeoutException cause = new QueryTimeoutException("timed out");
		assertThat(new SessionLimitExceededException(input, 3).getMessage()).doesNotContain(input).contains("(185 chars)");
		assertThat(new CacheUnavailableException(input, cause).getMessage()).doesNotContain(input);
		assertThat(new LeaderboardUnavailableException(input, cause).getMessage()).doesNotContain(input);
		for (RateLimitResult.Decision decision : List.of(RateLimitResult.Decision.REJECTED,
				RateLimitResult.Decision.BLOCKED, RateLimitResult.Decision.EXCEEDS_CAPACITY,
				RateLimitResult.Decision.FAILED_CLOSED)) {
			RateLimitResult rejected = new RateLimitResult(false, 10, 0, Duration.ofSeconds(1), Duration.ofSeconds(1),
					decision, "api", Duration.ofSeconds(1));
			assertThat(new RateLimitExceededException(input, rejected).getMessage()).doesNotContain(input)
				.contains("(185 chars)");
		}
	}

}
