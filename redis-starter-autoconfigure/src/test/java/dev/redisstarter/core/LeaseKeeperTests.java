package dev.redisstarter.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The renewal schedule shared by locks, jobs and stream entries, without Redis. */
class LeaseKeeperTests {

	private final LeaseKeeper keeper = new LeaseKeeper("lease-keeper-test");

	@AfterEach
	void close() {
		this.keeper.close();
	}

	@Test
	void aLeaseIsRenewedEveryThirdOfIt() {
		assertThat(LeaseKeeper.periodFor(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(10));
		assertThat(LeaseKeeper.periodFor(Duration.ofMillis(2))).isEqualTo(Duration.ofMillis(1));
	}

	@Test
	void renewsOnScheduleUntilStopped() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		LeaseKeeper.Renewal renewal = this.keeper.keep("test lease", Duration.ofMillis(20), () -> {
			attempts.incrementAndGet();
			return true;
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() >= 3);
		renewal.stop();
		assertThat(renewal.isActive()).isFalse();
		int stoppedAt = attempts.get();
		Thread.sleep(100);
		assertThat(attempts.get()).isLessThanOrEqualTo(stoppedAt + 1);
	}

	@Test
	void aFailedAttemptDoesNotEndTheRenewal() {
		AtomicInteger attempts = new AtomicInteger();
		this.keeper.keep("test lease", Duration.ofMillis(20), () -> {
			if (attempts.incrementAndGet() <= 2) {
				throw new IllegalStateException("Redis away");
			}
			return true;
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() >= 4);
	}

	@Test
	void aLeaseThatIsGoneIsNoLongerRenewed() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		LeaseKeeper.Renewal renewal = this.keeper.keep("test lease", Duration.ofMillis(20), () -> {
			attempts.incrementAndGet();
			return false;
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> !renewal.isActive());
		Thread.sleep(100);
		assertThat(attempts).hasValue(1);
	}

	@Test
	void renewalEndsAfterItsBoundAndTellsTheHolderOnce() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		AtomicInteger overBound = new AtomicInteger();
		LeaseKeeper.Renewal renewal = this.keeper.keep("test lease", Duration.ofMillis(20), Duration.ofMillis(100), () -> {
			attempts.incrementAndGet();
			return true;
		}, overBound::incrementAndGet);
		await().atMost(Duration.ofSeconds(5)).until(() -> !renewal.isActive());
		int renewed = attempts.get();
		Thread.sleep(100);
		assertThat(overBound).hasValue(1);
		assertThat(attempts).hasValue(renewed);
		assertThat(renewed).isBetween(2, 6);
	}

	@Test
	void aKeeperOnAnotherSchedulerLeavesItRunningWhenClosed() {
		var scheduler = StarterThreads.backgroundScheduler("lease-keeper-shared-test");
		try {
			LeaseKeeper.on(scheduler).close();
			assertThat(scheduler.isShutdown()).isFalse();
		}
		finally {
			scheduler.shutdownNow();
		}
	}

}
