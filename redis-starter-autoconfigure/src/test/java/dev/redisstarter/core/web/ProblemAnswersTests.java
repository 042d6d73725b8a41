package dev.redisstarter.core.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProblemAnswersTests {

	@Test
	void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
		assertThat(ProblemAnswers.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
		assertThat(ProblemAnswers.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
		assertThat(ProblemAnswers.retryAfterSeconds(Duration.ofSeconds(5))).isEqualTo(5);
	}

	@Test
	void aRetryAfterThatIsNotPositiveIsRefusedWithItsName() {
		assertThatIllegalArgumentException().isThrownBy(() -> ProblemAnswers.requirePositive(Duration.ZERO, "retryAfter"))
			.withMessageContaining("retryAfter");
	}

}
