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
 * @param maxRenewal how long the watchdog renews a lease at most: a lease the application forgot to close stops
 * being renewed after this, and ends with its lease
 */
public record LockSettings(Duration defaultLease, Duration defaultWait, boolean renewal, Duration pollInterval,
		Duration maxRenewal) {

	/** The default bound on renewal: one hour. */
	public static final Duration DEFAULT_MAX_RENEWAL = Duration.ofHours(1);

	/** 30 s lease, renewed for at most an hour; 5 s wait; poll every 500 ms. */
	public static final LockSettings DEFAULTS = new LockSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), true,
			Duration.ofMillis(500));

	/**
	 * Settings with the default bound on renewal.
	 * @param defaultLease the default lease
	 * @param defaultWait the default wait
	 * @param renewal whether to renew default leases
	 * @param pollInterval the fallback poll interval
	 */
	public LockSettings(Duration defaultLease, Duration defaultWait, boolean renewal, Duration pollInterval) {
		this(defaultLease, defaultWait, renewal, pollInterval, DEFAULT_MAX_RENEWAL);
	}

	/**
	 * Checks the settings.
	 * @param defaultLease the default lease
	 * @param defaultWait the default wait
	 * @param renewal whether to renew default leases
	 * @param pollInterval the fallback poll interval
	 * @param maxRenewal the bound on renewal
	 */
	public LockSettings {
		positive("maxRenewal", maxRenewal);
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
		return new LockSettings(this.defaultLease, this.defaultWait, this.renewal, pollInterval, this.maxRenewal);
	}

	/**
	 * These settings with another default lease.
	 * @param defaultLease the default lease
	 * @return new settings
	 */
	public LockSettings withDefaultLease(Duration defaultLease) {
		return new LockSettings(defaultLease, this.defaultWait, this.renewal, this.pollInterval, this.maxRenewal);
	}

	/**
	 * These settings with another bound on renewal.
	 * @param maxRenewal how long a lease is renewed at most
	 * @return new settings
	 */
	public LockSettings withMaxRenewal(Duration maxRenewal) {
		return new LockSettings(this.defaultLease, this.defaultWait, this.renewal, this.pollInterval, maxRenewal);
	}

}
