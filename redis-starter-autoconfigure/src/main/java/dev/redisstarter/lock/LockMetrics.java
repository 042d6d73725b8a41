package dev.redisstarter.lock;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.MeterTag;

/** Records the locks' meters ({@link LockMeter}), without lock names in tags (names are often ids). */
public final class LockMetrics {

	private final @Nullable Counter acquired;

	private final @Nullable Counter reentered;

	private final @Nullable Counter timedOut;

	private final @Nullable Timer waitTimer;

	private final @Nullable Timer holdTimer;

	private final @Nullable Counter leasesLost;

	private final @Nullable Counter notOwner;

	private final @Nullable Counter polls;

	private final @Nullable Counter abandoned;

	/**
	 * Metrics into a registry.
	 * @param registry the registry, or {@code null} for none
	 */
	public LockMetrics(@Nullable MeterRegistry registry) {
		this.acquired = acquisitions(registry, "acquired");
		this.reentered = acquisitions(registry, "reentered");
		this.timedOut = acquisitions(registry, "timed-out");
		this.waitTimer = (registry != null) ? LockMeter.WAIT.timerBuilder().register(registry) : null;
		this.holdTimer = (registry != null) ? LockMeter.HOLD.timerBuilder().register(registry) : null;
		this.leasesLost = counter(registry, LockMeter.LEASES_LOST);
		this.notOwner = counter(registry, LockMeter.RELEASES_NOT_OWNER);
		this.polls = counter(registry, LockMeter.POLLS);
		this.abandoned = counter(registry, LockMeter.ABANDONED);
	}

	private static @Nullable Counter acquisitions(@Nullable MeterRegistry registry, String outcome) {
		return (registry != null)
				? LockMeter.ACQUISITIONS.counterBuilder().tag(MeterTag.OUTCOME.asString(), outcome).register(registry) : null;
	}

	private static @Nullable Counter counter(@Nullable MeterRegistry registry, LockMeter meter) {
		return (registry != null) ? meter.counterBuilder().register(registry) : null;
	}

	void acquired(long waitNanos) {
		increment(this.acquired);
		if (this.waitTimer != null) {
			this.waitTimer.record(Duration.ofNanos(waitNanos));
		}
	}

	void reentered() {
		increment(this.reentered);
	}

	void timedOut(long waitNanos) {
		increment(this.timedOut);
		if (this.waitTimer != null) {
			this.waitTimer.record(Duration.ofNanos(waitNanos));
		}
	}

	void held(long nanos) {
		if (this.holdTimer != null) {
			this.holdTimer.record(Duration.ofNanos(nanos));
		}
	}

	void leaseLost() {
		increment(this.leasesLost);
	}

	void releasedByNonOwner() {
		increment(this.notOwner);
	}

	void polled() {
		increment(this.polls);
	}

	/** A lock taken by a reply that came after its caller gave up, released at once. */
	void abandoned() {
		increment(this.abandoned);
	}

	private static void increment(@Nullable Counter counter) {
		if (counter != null) {
			counter.increment();
		}
	}

}
