package dev.redisstarter.core;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ReconnectPauseTests {

	private final RedisCircuitBreaker circuit = new RedisCircuitBreaker("test", 1, Duration.ofSeconds(1));

	@Test
	void doublesUpToItsMaximumAndStartsAgainAfterASuccess() throws Exception {
		ReconnectPause pause = new ReconnectPause(this.circuit, Duration.ofMillis(5), Duration.ofMillis(15));
		assertThat(pause.await()).isGreaterThanOrEqualTo(4);
		assertThat(pause.currentMillis()).isEqualTo(10);
		pause.await();
		assertThat(pause.currentMillis()).isEqualTo(15);
		pause.await();
		assertThat(pause.currentMillis()).isEqualTo(15);
		pause.reset();
		assertThat(pause.currentMillis()).isEqualTo(5);
	}

	@Test
	void endsAtOnceWhenTheCircuitClosesSoConsumersResumeWithTheEndpoints() throws Exception {
		ReconnectPause pause = new ReconnectPause(this.circuit, Duration.ofSeconds(30), Duration.ofSeconds(30));
		this.circuit.open();
		CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
			try {
				return pause.await();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		Thread.sleep(200);
		assertThat(waited).isNotDone();
		this.circuit.close();
		assertThat(waited.get(5, TimeUnit.SECONDS)).isLessThan(5000);
	}

	@Test
	void rejectsAMaximumBelowTheFirstPause() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReconnectPause(this.circuit, Duration.ofSeconds(2), Duration.ofSeconds(1)))
			.withMessageContaining("max");
	}

}
