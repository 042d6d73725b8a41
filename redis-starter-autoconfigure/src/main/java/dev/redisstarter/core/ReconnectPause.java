package dev.redisstarter.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How long a consumer loop (a stream reader, a job fetcher, a subscription) waits after Redis failed it before it
 * tries again: doubling from {@code first} up to {@code max}, but cut short the moment the starter's circuit closes
 * (Redis answers again), so that consumers resume with the application's endpoints instead of at their next
 * back-off step (which reached 5 s and kept health DOWN that long after Redis was back).
 *
 * <p>One per loop; not for concurrent use. It registers one listener on the circuit, for its lifetime.
 */
public final class ReconnectPause {

	private final Duration first;

	private final Duration max;

	private final Object monitor = new Object();

	private long closings;

	private long currentMillis;

	/**
	 * A pause that starts at {@code first}.
	 * @param circuit the starter's circuit, whose closing ends a pause
	 * @param first the first pause, positive
	 * @param max the longest pause, at least {@code first}
	 */
	public ReconnectPause(RedisCircuitBreaker circuit, Duration first, Duration max) {
		Objects.requireNonNull(circuit, "circuit must not be null");
		this.first = Durations.requirePositive("first", first);
		this.max = Durations.requirePositive("max", max);
		if (max.compareTo(first) < 0) {
			throw new IllegalArgumentException("max (" + max + ") must not be below first (" + first + ")");
		}
		this.currentMillis = first.toMillis();
		circuit.onTransition((state) -> {
			if (state == RedisCircuitBreaker.State.CLOSED) {
				synchronized (this.monitor) {
					this.closings++;
					this.monitor.notifyAll();
				}
			}
		});
	}

	/**
	 * Waits the current pause, or until the circuit closes if that comes first; the next pause is twice as long,
	 * at most {@code max}.
	 * @return how long it waited, in ms
	 * @throws InterruptedException when interrupted (a stop)
	 */
	public long await() throws InterruptedException {
		long start = System.nanoTime();
		long until = start + TimeUnit.MILLISECONDS.toNanos(this.currentMillis);
		synchronized (this.monitor) {
			long seen = this.closings;
			long left;
			while (this.closings == seen && (left = until - System.nanoTime()) > 0) {
				TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
			}
		}
		this.currentMillis = Math.min(this.currentMillis * 2, this.max.toMillis());
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	/**
	 * The pause the next {@link #await()} waits at most.
	 * @return in ms
	 */
	public long currentMillis() {
		return this.currentMillis;
	}

	/** Redis worked again: the next pause is {@code first}. */
	public void reset() {
		this.currentMillis = this.first.toMillis();
	}

}
