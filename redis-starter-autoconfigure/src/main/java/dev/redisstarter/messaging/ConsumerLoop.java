package dev.redisstarter.messaging;

import java.util.Objects;
import java.util.function.BooleanSupplier;

import dev.redisstarter.core.ReconnectPause;

/**
 * The loop every consumer's reader runs (a stream listener's reader, a job handler's fetcher): one step at a time
 * while the consumer runs. A step that fails is reported (the consumer classifies it: a permission refusal, a deleted
 * group, an outage) and followed by the consumer's {@link ReconnectPause}, which doubles up to its bound and ends
 * early the moment Redis answers again; a step that works resets it. An interrupt is a stop and ends the loop, as
 * does a failure after the consumer stopped (its connection was closed under it).
 */
public final class ConsumerLoop {

	/** One turn of the loop: read, take or wait. */
	@FunctionalInterface
	public interface Step {

		/**
		 * Runs one turn.
		 * @return whether it reached Redis (the pause is reset then)
		 * @throws InterruptedException when the consumer stops
		 */
		boolean run() throws InterruptedException;

	}

	/** What a consumer does with a failed turn before the pause: classify, release, log. */
	@FunctionalInterface
	public interface Failure {

		/**
		 * A turn failed.
		 * @param ex what it threw
		 * @param nextPauseMillis the longest the pause that follows waits
		 */
		void failed(RuntimeException ex, long nextPauseMillis);

	}

	private final BooleanSupplier running;

	private final Step step;

	private final Failure failure;

	private final ReconnectPause pause;

	/**
	 * A loop.
	 * @param running whether the consumer still runs, checked before each turn and after a failure
	 * @param step one turn
	 * @param failure what to do with a failed turn
	 * @param pause the wait after a failure
	 */
	public ConsumerLoop(BooleanSupplier running, Step step, Failure failure, ReconnectPause pause) {
		this.running = Objects.requireNonNull(running, "running must not be null");
		this.step = Objects.requireNonNull(step, "step must not be null");
		this.failure = Objects.requireNonNull(failure, "failure must not be null");
		this.pause = Objects.requireNonNull(pause, "pause must not be null");
	}

	/** Runs turns until the consumer stops or the thread is interrupted; never throws. */
	public void run() {
		while (this.running.getAsBoolean()) {
			try {
				if (this.step.run()) {
					this.pause.reset();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				if (!this.running.getAsBoolean()) {
					return;
				}
				this.failure.failed(ex, this.pause.currentMillis());
				try {
					this.pause.await();
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

}
