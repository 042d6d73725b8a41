package dev.redisstarter.lock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How release notices turn into wake-ups, whatever order a release's reply and its echo come back in. */
class LockNoticesTests {

	@Test
	void anEchoThatComesBackBeforeTheReleasesReplyWakesOnceAndSwallowsNoLaterNotice() throws InterruptedException {
		LockNotices.Signal signal = new LockNotices.Signal();
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
		LockNotices.Signal signal = new LockNotices.Signal();
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
		LockNotices.Signal signal = new LockNotices.Signal();
		signal.fire();
		assertThat(signal.await(0)).isTrue();
		Thread.sleep(1);
		long sent = System.nanoTime();
		signal.fireHere(true, sent);
		assertThat(signal.await(0)).as("the release here wakes the waiter").isTrue();
		signal.fire();
		assertThat(signal.await(0)).as("its echo").isFalse();
	}

}
