package dev.redisstarter.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Opens one kind of connection on a thread of its own, so that nothing waits on a handshake, and never more than
 * needed: while an attempt is under way a caller gets that attempt; one that hangs longer than
 * {@link #ABANDON_AFTER} (a handshake through a black hole hangs until Lettuce's own timeout) is left to finish
 * alone and another starts beside it, at most {@link #MAX_IN_FLIGHT} at once. Used by the starter's own connection
 * and by every subscription connection. Internal.
 *
 * @param <C> the connection type
 */
public final class ConnectAttempts<C> {

	/**
	 * How long an attempt to open one of the starter's connections may hang before another one starts beside it.
	 */
	public static final Duration ABANDON_AFTER = Duration.ofSeconds(3);

	/** Each attempt that hangs holds a thread until Lettuce's own timeout: at most this many at once. */
	static final int MAX_IN_FLIGHT = 2;

	/**
	 * An attempt, and whether this call started it (its caller then wires what follows it).
	 * @param future completes with the connection, or the failure to open it
	 * @param started whether this call started it
	 * @param <C> the connection type
	 */
	public record Attempt<C>(CompletableFuture<C> future, boolean started) {
	}

	private final String threadName;

	private final Supplier<C> open;

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile @Nullable CompletableFuture<C> latest;

	private volatile long latestStarted;

	/**
	 * Attempts that open connections with a function.
	 * @param threadName names the threads attempts run on
	 * @param open opens a connection (blocking), or throws why it cannot
	 */
	public ConnectAttempts(String threadName, Supplier<C> open) {
		this.threadName = Objects.requireNonNull(threadName, "threadName must not be null");
		this.open = Objects.requireNonNull(open, "open must not be null");
	}

	/**
	 * The attempt under way, or a new one when there is none, or when it hangs and fewer than the most are in flight.
	 * @return the attempt
	 */
	public synchronized Attempt<C> attempt() {
		CompletableFuture<C> pending = this.latest;
		if (pending != null && !pending.isDone() && (System.nanoTime() - this.latestStarted < ABANDON_AFTER.toNanos()
				|| this.inFlight.get() >= MAX_IN_FLIGHT)) {
			return new Attempt<>(pending, false);
		}
		CompletableFuture<C> attempt = new CompletableFuture<>();
		this.latest = attempt;
		this.latestStarted = System.nanoTime();
		this.inFlight.incrementAndGet();
		StarterThreads.background(this.threadName, () -> {
			try {
				attempt.complete(this.open.get());
			}
			catch (Throwable ex) {
				attempt.completeExceptionally(ex);
			}
			finally {
				this.inFlight.decrementAndGet();
			}
		}).start();
		return new Attempt<>(attempt, true);
	}

	/**
	 * The latest attempt, done or not.
	 * @return it, or {@code null} before the first
	 */
	public @Nullable CompletableFuture<C> latest() {
		return this.latest;
	}

	/**
	 * Whether an attempt is the latest: only the latest speaks for Redis (one left behind in a black hole that fails
	 * after a newer one succeeded must not be taken for the current state).
	 * @param attempt an attempt's future
	 * @return true when no attempt started after it
	 */
	public boolean isLatest(CompletableFuture<C> attempt) {
		return attempt == this.latest;
	}

}
