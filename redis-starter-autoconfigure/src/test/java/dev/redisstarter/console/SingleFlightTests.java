package dev.redisstarter.console;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** {@link SingleFlight}: callers that come during a run share its answer or its failure; the next run is new. */
class SingleFlightTests {

	@Test
	void callersDuringARunShareItsAnswerAndTheNextCallRunsAgain() throws Exception {
		SingleFlight<Integer> flight = new SingleFlight<>();
		AtomicInteger runs = new AtomicInteger();
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService callers = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> answers = new ArrayList<>();
			answers.add(callers.submit(() -> flight.get(() -> {
				started.countDown();
				await(release);
				return runs.incrementAndGet();
			})));
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			for (int i = 0; i < 7; i++) {
				answers.add(callers.submit(() -> flight.get(runs::incrementAndGet)));
			}
			Thread.sleep(200);
			release.countDown();
			for (Future<Integer> answer : answers) {
				assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(1);
			}
			assertThat(runs).hasValue(1);
			assertThat(flight.get(runs::incrementAndGet)).as("a call after the run runs again").isEqualTo(2);
		}
		finally {
			callers.shutdownNow();
		}
	}

	@Test
	void aFailedRunFailsItsCallersAndDoesNotStickToTheNextCall() {
		SingleFlight<String> flight = new SingleFlight<>();
		assertThatIllegalStateException().isThrownBy(() -> flight.get(() -> {
			throw new IllegalStateException("Redis away");
		}));
		assertThat(flight.get(() -> "back")).isEqualTo("back");
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
