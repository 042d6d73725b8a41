package dev.redisstarter.lock;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Lock meters, without lock names in tags (names are often ids): {@code redis.starter.lock.acquisitions}
 * (tag {@code result}: acquired, reentered, timed-out), {@code redis.starter.lock.wait} and
 * {@code redis.starter.lock.hold} (timers), {@code redis.starter.lock.leases.lost} (a renewal found the lock
 * gone), {@code redis.starter.lock.releases.not-owner} (a release after the lease ended) and
 * {@code redis.starter.lock.polls} (a waiter woke by the poll interval rather than by a release notice).
 */
public final class LockMetrics {

	private static final String ACQUISITIONS = "redis.starter.lock.acquisitions";

	private static final String ACQUISITIONS_DESCRIPTION = "Attempts to acquire a lock, by outcome: acquired,"
			+ " reentered (already held by this thread) or timed-out";

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
		this.acquired = counter(registry, ACQUISITIONS, ACQUISITIONS_DESCRIPTION, "attempts", "acquired");
		this.reentered = counter(registry, ACQUISITIONS, ACQUISITIONS_DESCRIPTION, "attempts", "reentered");
		this.timedOut = counter(registry, ACQUISITIONS, ACQUISITIONS_DESCRIPTION, "attempts", "timed-out");
		this.waitTimer = (registry != null) ? Timer.builder("redis.starter.lock.wait")
			.description("Time callers waited to acquire a lock, acquired or timed out")
			.register(registry) : null;
		this.holdTimer = (registry != null) ? Timer.builder("redis.starter.lock.hold")
			.description("Time locks were held, from acquisition to release")
			.register(registry) : null;
		this.leasesLost = counter(registry, "redis.starter.lock.leases.lost",
				"Lease renewals that found the lock gone (expired or taken by another owner)", "leases", null);
		this.notOwner = counter(registry, "redis.starter.lock.releases.not-owner",
				"Releases by a caller that no longer owned the lock (its lease had ended)", "releases", null);
		this.polls = counter(registry, "redis.starter.lock.polls",
				"Times a waiter woke by the poll interval rather than by a release notice", "polls", null);
		this.abandoned = counter(registry, "redis.starter.lock.abandoned",
				"Locks taken by a reply that came after the caller gave up, released at once", "locks", null);
	}

	private static @Nullable Counter counter(@Nullable MeterRegistry registry, String name, String description,
			String unit, @Nullable String result) {
		if (registry == null) {
			return null;
		}
		Counter.Builder builder = Counter.builder(name).description(description).baseUnit(unit);
		if (result != null) {
			builder.tag("outcome", result);
		}
		return builder.register(registry);
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
