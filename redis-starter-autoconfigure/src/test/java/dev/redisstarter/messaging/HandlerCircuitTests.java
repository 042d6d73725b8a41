package dev.redisstarter.messaging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HandlerCircuitTests {

	private final AtomicLong now = new AtomicLong();

	private final HandlerCircuit circuit = new HandlerCircuit("test",
			new HandlerCircuit.Settings(3, Duration.ofSeconds(5), Duration.ofSeconds(12)), this.now::get);

	private final RuntimeException down = new IllegalStateException("database down");

	@Test
	void opensAfterDistinctMessagesFailInARowAndRefusesNewWorkWhileOpen() {
		assertThat(this.circuit.failed("a", this.down)).isFalse();
		assertThat(this.circuit.failed("b", this.down)).isFalse();
		assertThat(this.circuit.failed("c", this.down)).isTrue();
		assertThat(this.circuit.state()).isEqualTo(HandlerCircuit.State.OPEN);
		assertThat(this.circuit.tryStart()).isFalse();
		assertThat(this.circuit.allowsFetching()).isFalse();
		assertThat(this.circuit.allowsGivingUp()).isFalse();
		assertThat(this.circuit.millisUntilProbe()).isEqualTo(5000);
		assertThat(this.circuit.openings()).isEqualTo(1);
	}

	@Test
	void oneMessageRetriedCountsOnceSoAPoisonMessageDoesNotPauseTheConsumer() {
		for (int i = 0; i < 10; i++) {
			assertThat(this.circuit.failed("poison", this.down)).isFalse();
		}
		assertThat(this.circuit.failed("other", this.down)).isFalse();
		assertThat(this.circuit.state()).isEqualTo(HandlerCircuit.State.CLOSED);
		assertThat(this.circuit.allowsGivingUp()).isTrue();
	}

	@Test
	void aSuccessStartsTheCountAgain() {
		this.circuit.failed("a", this.down);
		this.circuit.failed("b", this.down);
		this.circuit.succeeded();
		this.circuit.failed("c", this.down);
		this.circuit.failed("d", this.down);
		assertThat(this.circuit.state()).isEqualTo(HandlerCircuit.State.CLOSED);
	}

	@Test
	void letsExactlyOneProbeThroughAfterThePauseAndClosesWhenItSucceeds() {
		open();
		this.now.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(this.circuit.allowsFetching()).isTrue();
		assertThat(this.circuit.tryStart()).isTrue();
		assertThat(this.circuit.tryStart()).isFalse();
		assertThat(this.circuit.state()).isEqualTo(HandlerCircuit.State.PROBING);
		assertThat(this.circuit.allowsGivingUp()).isFalse();
		this.circuit.succeeded();
		assertThat(this.circuit.state()).isEqualTo(HandlerCircuit.State.CLOSED);
		assertThat(this.circuit.tryStart()).isTrue();
	}

	@Test
	void aFailedProbeDoublesThePauseUpToItsMaximum() {
		open();
		this.now.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(this.circuit.tryStart()).isTrue();
		assertThat(this.circuit.failed("x", this.down)).isTrue();
		assertThat(this.circuit.millisUntilProbe()).isEqualTo(10_000);
		this.now.addAndGet(Duration.ofSeconds(10).toNanos());
		assertThat(this.circuit.tryStart()).isTrue();
		this.circuit.failed("x", this.down);
		assertThat(this.circuit.millisUntilProbe()).isEqualTo(12_000);
		assertThat(this.circuit.openings()).isEqualTo(1);
	}

	@Test
	void aProbeThatHangsLetsAnotherProbeStartAfterTheLongestPause() {
		open();
		this.now.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(this.circuit.tryStart()).isTrue();
		this.now.addAndGet(Duration.ofSeconds(11).toNanos());
		assertThat(this.circuit.allowsFetching()).isFalse();
		assertThat(this.circuit.tryStart()).isFalse();
		this.now.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(this.circuit.allowsFetching()).isTrue();
		assertThat(this.circuit.tryStart()).isTrue();
		assertThat(this.circuit.tryStart()).isFalse();
	}

	@Test
	void failuresOfMessagesStartedBeforeItOpenedLeaveItOpen() {
		open();
		assertThat(this.circuit.failed("late", this.down)).isTrue();
		assertThat(this.circuit.millisUntilProbe()).isEqualTo(5000);
	}

	@Test
	void neverOpensWhenDisabled() {
		HandlerCircuit disabled = new HandlerCircuit("off", HandlerCircuit.Settings.DISABLED, this.now::get);
		for (int i = 0; i < 100; i++) {
			assertThat(disabled.failed("m" + i, this.down)).isFalse();
		}
		assertThat(disabled.tryStart()).isTrue();
	}

	@Test
	void rejectsSettingsThatCannotWork() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HandlerCircuit.Settings(-1, Duration.ofSeconds(1), Duration.ofSeconds(1)))
			.withMessageContaining("failure-threshold");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new HandlerCircuit.Settings(3, Duration.ofSeconds(5), Duration.ofSeconds(1)))
			.withMessageContaining("max-pause");
	}

	private void open() {
		this.circuit.failed("a", this.down);
		this.circuit.failed("b", this.down);
		this.circuit.failed("c", this.down);
	}

}
