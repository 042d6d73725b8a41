package dev.redisstarter.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.redisstarter.core.ReconnectPause;
import dev.redisstarter.core.RedisCircuitBreaker;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader loop every consumer runs, without Redis. */
class ConsumerLoopTests {

	private final ReconnectPause pause = new ReconnectPause(new RedisCircuitBreaker("test", 1, Duration.ofSeconds(1)),
			Duration.ofMillis(10), Duration.ofMillis(40));

	@Test
	void failedTurnsAreReportedWithADoublingPauseAndATurnThatReachesRedisResetsIt() {
		AtomicInteger turns = new AtomicInteger();
		AtomicBoolean running = new AtomicBoolean(true);
		List<Long> pauses = new CopyOnWriteArrayList<>();
		new ConsumerLoop(running::get, () -> {
			int turn = turns.incrementAndGet();
			if (turn <= 4) {
				throw new IllegalStateException("Redis away");
			}
			running.set(false);
			return true;
		}, (ex, next) -> pauses.add(next), this.pause).run();
		assertThat(pauses).containsExactly(10L, 20L, 40L, 40L);
		assertThat(this.pause.currentMillis()).as("reset by the turn that worked").isEqualTo(10);
	}

	@Test
	void aTurnThatDidNotReachRedisLeavesThePauseAsItWas() throws Exception {
		AtomicInteger turns = new AtomicInteger();
		AtomicBoolean running = new AtomicBoolean(true);
		this.pause.await();
		new ConsumerLoop(running::get, () -> {
			running.set(turns.incrementAndGet() < 3);
			return false;
		}, (ex, next) -> {
		}, this.pause).run();
		assertThat(turns).hasValue(3);
		assertThat(this.pause.currentMillis()).isEqualTo(20);
	}

	@Test
	void aFailureAfterTheConsumerStoppedEndsTheLoopWithoutReportOrPause() {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger reported = new AtomicInteger();
		new ConsumerLoop(running::get, () -> {
			running.set(false);
			throw new IllegalStateException("connection closed by the stop");
		}, (ex, next) -> reported.incrementAndGet(), this.pause).run();
		assertThat(reported).hasValue(0);
	}

	@Test
	void anInterruptEndsTheLoopAndIsKept() throws Exception {
		AtomicBoolean stillInterrupted = new AtomicBoolean();
		Thread reader = new Thread(() -> {
			new ConsumerLoop(() -> true, () -> {
				Thread.sleep(60_000);
				return true;
			}, (ex, next) -> {
			}, this.pause).run();
			stillInterrupted.set(Thread.currentThread().isInterrupted());
		});
		reader.start();
		Thread.sleep(50);
		reader.interrupt();
		reader.join(2000);
		assertThat(reader.isAlive()).isFalse();
		assertThat(stillInterrupted).isTrue();
	}

	@Test
	void anInterruptDuringThePauseEndsTheLoop() throws Exception {
		ReconnectPause longPause = new ReconnectPause(new RedisCircuitBreaker("test", 1, Duration.ofSeconds(1)),
				Duration.ofSeconds(30), Duration.ofSeconds(30));
		Thread reader = new Thread(() -> new ConsumerLoop(() -> true, () -> {
			throw new IllegalStateException("Redis away");
		}, (ex, next) -> {
		}, longPause).run());
		reader.start();
		Thread.sleep(50);
		reader.interrupt();
		reader.join(2000);
		assertThat(reader.isAlive()).isFalse();
	}

}
