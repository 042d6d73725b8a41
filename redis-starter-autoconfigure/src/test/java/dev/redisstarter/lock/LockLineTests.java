package dev.redisstarter.lock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How release notices turn into wake-ups, whatever order a release's reply and its echo come back in; and how a
 * release here claims the offer of the first waiter in this instance's line.
 */
class LockLineTests {

	@Test
	void anEchoThatComesBackBeforeTheReleasesReplyWakesOnceAndSwallowsNoLaterNotice() throws InterruptedException {
		LockLine signal = new LockLine();
		long sent = System.nanoTime();
		// The subscription's thread can read the notice before the releasing thread reads the script's reply.
		signal.fire();
		signal.fireHere(true, sent);
		assertThat(signal.await(0)).as("the release wakes the waiter").isTrue();
		assertThat(signal.await(0)).as("once, not again for its echo").isFalse();

		signal.fire();
		assertThat(signal.await(0)).as("another instance's release, a second later or less, still wakes it").isTrue();
	}

	@Test
	void anEchoThatComesBackAfterTheReleasesReplyIsNotCountedTwice() throws InterruptedException {
		LockLine signal = new LockLine();
		long sent = System.nanoTime();
		signal.fireHere(true, sent);
		signal.fire();
		assertThat(signal.await(0)).isTrue();
		assertThat(signal.await(0)).as("the echo").isFalse();

		signal.fire();
		assertThat(signal.await(0)).as("another instance's release").isTrue();
	}

	@Test
	void aNoticeFromBeforeTheReleaseWasSentIsNotTakenForItsEcho() throws InterruptedException {
		LockLine signal = new LockLine();
		signal.fire();
		assertThat(signal.await(0)).isTrue();
		Thread.sleep(1);
		long sent = System.nanoTime();
		signal.fireHere(true, sent);
		assertThat(signal.await(0)).as("the release here wakes the waiter").isTrue();
		signal.fire();
		assertThat(signal.await(0)).as("its echo").isFalse();
	}

	@Test
	void aReleaseClaimsTheFirstWaitersOfferBeforeItHasTriedAndTheNextWaiterBehindItGetsItsTurnAfter() throws Exception {
		LockLine signal = new LockLine();
		LockLine.Offer first = signal.join("first", 1000);
		LockLine.Offer second = signal.join("second", 1000);
		assertThat(signal.awaitTurn(first, 0)).as("the first in line has its turn").isTrue();
		assertThat(signal.awaitTurn(second, 0)).as("the second waits behind it").isFalse();

		LockLine.Offer claimed = signal.claim();
		assertThat(claimed).as("claimed before the first waiter's own try").isSameAs(first);
		assertThat(claimed.claimedCounted()).as("not counted in Redis yet: handoff.lua is told so").isFalse();
		assertThat(signal.claim()).as("claimed once").isNull();
		claimed.complete(42, false, null);

		assertThat(signal.settle(first)).isEqualTo(42);
		assertThat(signal.leave(first)).as("settled already: not handed over twice").isZero();
		assertThat(signal.awaitTurn(second, 0)).as("its turn once the first has left").isTrue();
		signal.counted(second);
		LockLine.Offer next = signal.claim();
		assertThat(next).isSameAs(second);
		assertThat(next.claimedCounted()).isTrue();
	}

	@Test
	void aWaiterWhoseWaitEndsWhileAHandOverToItIsUnderWayGetsTheLock() throws Exception {
		LockLine signal = new LockLine();
		LockLine.Offer offer = signal.join("waiter", 1000);
		LockLine.Offer claimed = signal.claim();
		CompletableFuture<Long> left = CompletableFuture.supplyAsync(() -> signal.leave(offer));
		Thread.sleep(100);
		assertThat(left).as("leaving waits for the hand-off's reply").isNotDone();
		assertThat(signal.claim()).as("nor is a leaving waiter claimed again").isNull();

		claimed.complete(7, false, null);

		assertThat(left.get(5, TimeUnit.SECONDS)).as("the lock handed over is the waiter's, never unowned").isEqualTo(7);
	}

	@Test
	void anOfferNotHandedOverCanBeClaimedAgainAndALeavingWaiterIsNotClaimed() {
		LockLine signal = new LockLine();
		LockLine.Offer offer = signal.join("waiter", 1000);
		signal.claim().complete(0, false, null);
		assertThat(signal.settle(offer)).isZero();
		assertThat(signal.claim()).as("released to every instance: the next release here may hand over").isSameAs(offer);
		offer.complete(0, false, null);
		assertThat(signal.leave(offer)).isZero();
		assertThat(signal.claim()).as("nobody left in line").isNull();
	}

}
