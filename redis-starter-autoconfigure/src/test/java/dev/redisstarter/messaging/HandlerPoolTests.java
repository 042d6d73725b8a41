package dev.redisstarter.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded stop of a consumer's handlers, without Redis. */
class HandlerPoolTests {

	@Test
	void handlersThatFinishWithinTheWaitAreNotInterrupted() {
		ExecutorService pool = Executors.newFixedThreadPool(2);
		List<String> events = new CopyOnWriteArrayList<>();
		pool.execute(() -> {
			sleep(100);
			events.add("finished");
		});
		assertThat(HandlerPool.finish(pool, Duration.ofSeconds(5), () -> events.add("interrupting"))).isTrue();
		assertThat(events).containsExactly("finished");
	}

	@Test
	void aHandlerStillRunningAfterTheWaitIsInterruptedAndTheConsumerToldFirst() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(1);
		List<String> events = new CopyOnWriteArrayList<>();
		CountDownLatch started = new CountDownLatch(1);
		pool.execute(() -> {
			started.countDown();
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				events.add("handler interrupted");
			}
		});
		started.await();
		long start = System.nanoTime();
		assertThat(HandlerPool.finish(pool, Duration.ofMillis(200), () -> events.add("interrupting"))).isFalse();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(150L, 5000L);
		assertThat(pool.awaitTermination(2, TimeUnit.SECONDS)).isTrue();
		assertThat(events).containsExactly("interrupting", "handler interrupted");
	}

	@Test
	void noNewWorkIsTakenOnceStopping() {
		ExecutorService pool = Executors.newFixedThreadPool(1);
		assertThat(HandlerPool.finish(pool, Duration.ofMillis(100))).isTrue();
		assertThat(pool.isShutdown()).isTrue();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
