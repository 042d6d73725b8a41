package dev.redisstarter.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The circuit's state machine, without Redis. */
class RedisCircuitBreakerTests {

	private final RedisCircuitBreaker circuit = new RedisCircuitBreaker("test", 3, Duration.ofSeconds(1));

	@Test
	void opensAfterTheThresholdOfFailuresInARow() {
		assertThat(this.circuit.recordFailure(new RuntimeException("one"))).isFalse();
		assertThat(this.circuit.recordFailure(new RuntimeException("two"))).isFalse();
		assertThat(this.circuit.allowsCalls()).isTrue();
		assertThat(this.circuit.recordFailure(new RuntimeException("three"))).isTrue();
		assertThat(this.circuit.allowsCalls()).isFalse();
		assertThat(this.circuit.lastFailure()).contains("three");
		assertThat(this.circuit.openings()).isEqualTo(1);
	}

	@Test
	void aSuccessInBetweenStartsTheCountAgain() {
		this.circuit.recordFailure(new RuntimeException());
		this.circuit.recordFailure(new RuntimeException());
		this.circuit.recordSuccess();
		this.circuit.recordFailure(new RuntimeException());
		this.circuit.recordFailure(new RuntimeException());
		assertThat(this.circuit.allowsCalls()).isTrue();
	}

	@Test
	void reportsEachTransitionOnceHoweverManyCallsFail() {
		List<RedisCircuitBreaker.State> transitions = new ArrayList<>();
		this.circuit.onTransition(transitions::add);
		for (int i = 0; i < 100; i++) {
			this.circuit.recordFailure(new RuntimeException());
		}
		assertThat(this.circuit.close()).isTrue();
		assertThat(this.circuit.close()).isFalse();
		assertThat(transitions).containsExactly(RedisCircuitBreaker.State.OPEN, RedisCircuitBreaker.State.CLOSED);
		assertThat(this.circuit.allowsCalls()).isTrue();
	}

	@Test
	void closingStartsTheFailureCountAgain() {
		this.circuit.open();
		this.circuit.recordFailure(new RuntimeException());
		this.circuit.close();
		this.circuit.recordFailure(new RuntimeException());
		this.circuit.recordFailure(new RuntimeException());
		assertThat(this.circuit.allowsCalls()).isTrue();
	}

	@Test
	void rejectsSettingsThatCannotWork() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisCircuitBreaker("x", 0, Duration.ofSeconds(1)))
			.withMessageContaining("failureThreshold");
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisCircuitBreaker("x", 1, Duration.ZERO))
			.withMessageContaining("openDuration");
	}

}
