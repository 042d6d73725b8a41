package dev.redisstarter.messaging.queue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How many jobs a worker takes ahead of its handlers, without Redis. */
class ReadAheadTests {

	@Test
	void theCapacityIsTheHandlersPlusThePrefetch() {
		assertThat(new ReadAhead(4, 10).capacity()).isEqualTo(14);
		assertThat(new ReadAhead(4, 0).capacity()).isEqualTo(4);
	}

	@Test
	void beforeAnyJobIsMeasuredItTakesOneJobPerHandlerAtMostThePrefetch() {
		assertThat(new ReadAhead(4, 10).ahead(-1)).isEqualTo(4);
		assertThat(new ReadAhead(8, 3).ahead(-1)).isEqualTo(3);
	}

	@Test
	void shortJobsAreTakenAheadForAboutTwentyMillisecondsOfWorkAndLongOnesAreLeftInRedis() {
		ReadAhead readAhead = new ReadAhead(4, 100);
		assertThat(readAhead.ahead(1.0)).as("4 handlers x 20 ms of 1 ms jobs").isEqualTo(80);
		assertThat(readAhead.ahead(0.0)).as("no faster than the prefetch").isEqualTo(100);
		assertThat(readAhead.ahead(40.0)).as("4 x 20 / 40").isEqualTo(2);
		assertThat(readAhead.ahead(5_000.0)).as("long jobs: none ahead").isZero();
		assertThat(new ReadAhead(4, 0).ahead(1.0)).as("prefetch off").isZero();
	}

	@Test
	void aTakeWaitsForTheUnusedReadAheadPlusHalfTheLookAheadAndGivesTheUnusedPartBack() {
		ReadAhead readAhead = new ReadAhead(4, 10);
		assertThat(readAhead.reserve(6)).isEqualTo(4);
		assertThat(readAhead.needed(6)).isEqualTo(4 + 3);
		assertThat(readAhead.needed(0)).as("at least one job per take").isEqualTo(10 + 1);
		assertThat(readAhead.needed(10)).isEqualTo(0 + 5);
		// A take never asks for more than the permits of a run.
		for (int ahead = 0; ahead <= 10; ahead++) {
			assertThat(readAhead.needed(ahead)).isLessThanOrEqualTo(readAhead.capacity());
		}
	}

}
