package dev.redisstarter.messaging;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The retry spacing shared by job queues and streams, without Redis. */
class RetryBackoffTests {

	@Test
	void theWaitGrowsByTheMultiplierUpToTheMaximum() {
		RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), 3.0, Duration.ofSeconds(1), 0.0);
		assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofMillis(300));
		assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofMillis(900));
		assertThat(backoff.delayAfter(4)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backoff.delayAfter(1_000_000)).as("no overflow after many failures").isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void aFixedBackoffWaitsTheSameAfterEveryFailureAndZeroFailuresCountAsOne() {
		RetryBackoff fixed = RetryBackoff.fixed(Duration.ofMillis(250));
		assertThat(fixed.delayAfter(0)).isEqualTo(Duration.ofMillis(250));
		assertThat(fixed.delayAfter(1)).isEqualTo(Duration.ofMillis(250));
		assertThat(fixed.delayAfter(50)).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void jitterSpreadsTheWaitWithinItsFractionAndNeverBelowOneMillisecond() {
		RetryBackoff backoff = RetryBackoff.exponential(Duration.ofMillis(1000), Duration.ofSeconds(10));
		long lowest = Long.MAX_VALUE;
		long highest = 0;
		for (int i = 0; i < 2_000; i++) {
			long millis = backoff.delayAfter(1).toMillis();
			lowest = Math.min(lowest, millis);
			highest = Math.max(highest, millis);
		}
		assertThat(lowest).isBetween(800L, 900L);
		assertThat(highest).isBetween(1100L, 1200L);
		RetryBackoff tiny = new RetryBackoff(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 1.0);
		for (int i = 0; i < 200; i++) {
			assertThat(tiny.delayAfter(1)).isGreaterThanOrEqualTo(Duration.ofMillis(1));
		}
	}

	@Test
	void valuesOutsideTheirRangesAreRefusedNamingTheValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryBackoff(Duration.ZERO, 2.0, Duration.ofSeconds(1), 0.1))
			.withMessageContaining("at least 1ms");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryBackoff(Duration.ofMillis(10), 0.5, Duration.ofSeconds(1), 0.1))
			.withMessageContaining("multiplier must be at least 1, was 0.5");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryBackoff(Duration.ofMillis(10), Double.NaN, Duration.ofSeconds(1), 0.1))
			.withMessageContaining("multiplier");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryBackoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1), 0.1))
			.withMessageContaining("must not be below its initial");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryBackoff(Duration.ofMillis(10), 2.0, Duration.ofSeconds(1), 2.0))
			.withMessageContaining("jitter must be between 0 and 1, was 2.0");
	}

}
