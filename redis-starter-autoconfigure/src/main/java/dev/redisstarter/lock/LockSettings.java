package dev.redisstarter.lock;

import java.time.Duration;
import java.util.Objects;

/**
 * Defaults of a {@link RedisDistributedLock}.
 *
 * @param defaultLease the lease of acquisitions that give none; renewed every third of it when renewal is on
 * @param defaultWait how long {@code @WithLock} waits when it says nothing
 * @param renewal whether leases without an explicit length are renewed while held
 * @param pollInterval how often a waiter tries again when no release notice arrives (a lost notice)
 */
public record LockSettings(Duration defaultLease, Duration defaultWait, boolean renewal, Duration pollInterval) {

	/** 30 s lease, renewed; 5 s wait; poll every 500 ms. */
	public static final LockSettings DEFAULTS = new LockSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), true,
			Duration.ofMillis(500));

	/**
	 * Checks the settings.
	 * @param defaultLease the default lease
	 * @param defaultWait the default wait
	 * @param renewal whether to renew default leases
	 * @param pollInterval the fallback poll interval
	 */
	public LockSettings {
		positive("defaultLease", defaultLease);
		Objects.requireNonNull(defaultWait, "defaultWait must not be null");
		if (defaultWait.isNegative()) {
			throw new IllegalArgumentException("defaultWait must not be negative, was " + defaultWait);
		}
		positive("pollInterval", pollInterval);
		if (defaultLease.toMillis() < 3) {
			throw new IllegalArgumentException("defaultLease must be at least 3 ms, was " + defaultLease);
		}
	}

	private static void positive(String name, Duration value) {
		Objects.requireNonNull(value, name + " must not be null");
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + value);
		}
	}

	/**
	 * These settings with another poll interval.
	 * @param pollInterval the fallback poll interval
	 * @return new settings
	 */
	public LockSettings withPollInterval(Duration pollInterval) {
		return new LockSettings(this.defaultLease, this.defaultWait, this.renewal, pollInterval);
	}

	/**
	 * These settings with another default lease.
	 * @param defaultLease the default lease
	 * @return new settings
	 */
	public LockSettings withDefaultLease(Duration defaultLease) {
		return new LockSettings(defaultLease, this.defaultWait, this.renewal, this.pollInterval);
	}

}
