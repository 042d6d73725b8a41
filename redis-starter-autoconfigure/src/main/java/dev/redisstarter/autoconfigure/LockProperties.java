package dev.redisstarter.autoconfigure;

import java.time.Duration;

import dev.redisstarter.lock.WithLockAdvisor;

/**
 * Distributed-lock settings, under {@code redis.starter.lock}.
 */
public class LockProperties {

	/**
	 * Whether distributed locks are enabled.
	 */
	private boolean enabled = true;

	/**
	 * Whether @WithLock methods may run without a lock when locks are disabled (logged at WARN). By default,
	 * disabled locks with @WithLock methods stop start-up.
	 */
	private boolean runUnlockedWhenDisabled;

	/**
	 * How long the watchdog renews a lease at most: a lease the application forgot to close stops being renewed
	 * after this, and ends with its lease.
	 */
	private Duration maxRenewal = Duration.ofHours(1);

	/**
	 * How long each lock call (try, release, extend) waits for Redis before LockUnavailableException; independent of spring.data.redis.timeout.
	 */
	private Duration timeout = Duration.ofMillis(500);

	/**
	 * Order of the @WithLock advisor among the application's advisors: by default outside the cache advisor and any @Transactional of default order, so the lock is held until the transaction has committed.
	 */
	private int advisorOrder = WithLockAdvisor.DEFAULT_ORDER;

	/**
	 * Lease of acquisitions that give none; renewed every third of it while held when renewal is on.
	 */
	private Duration defaultLease = Duration.ofSeconds(30);

	/**
	 * How long @WithLock waits for a lock when it says nothing.
	 */
	private Duration defaultWait = Duration.ofSeconds(5);

	/**
	 * Whether leases without an explicit length are renewed while held (the watchdog).
	 */
	private boolean renewal = true;

	/**
	 * How often a waiter tries again when no release notice arrives.
	 */
	private Duration pollInterval = Duration.ofMillis(500);

	/**
	 * How many permits a semaphore has when the caller (or @WithPermit) does not say.
	 */
	private int defaultPermits = 10;

	public int getDefaultPermits() {
		return this.defaultPermits;
	}

	public void setDefaultPermits(int defaultPermits) {
		if (defaultPermits < 1) {
			throw new InvalidPropertyException("redis.starter.lock.default-permits", defaultPermits, "a positive number");
		}
		this.defaultPermits = defaultPermits;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}


	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = RedisStarterProperties.positive("redis.starter.lock.timeout", timeout);
	}
	public int getAdvisorOrder() {
		return this.advisorOrder;
	}

	public void setAdvisorOrder(int advisorOrder) {
		this.advisorOrder = advisorOrder;
	}

	public Duration getMaxRenewal() {
		return this.maxRenewal;
	}

	public void setMaxRenewal(Duration maxRenewal) {
		this.maxRenewal = RedisStarterProperties.positive("redis.starter.lock.max-renewal", maxRenewal);
	}

	public boolean isRunUnlockedWhenDisabled() {
		return this.runUnlockedWhenDisabled;
	}

	public void setRunUnlockedWhenDisabled(boolean runUnlockedWhenDisabled) {
		this.runUnlockedWhenDisabled = runUnlockedWhenDisabled;
	}

	public Duration getDefaultLease() {
		return this.defaultLease;
	}

	public void setDefaultLease(Duration defaultLease) {
		this.defaultLease = RedisStarterProperties.positive("redis.starter.lock.default-lease", defaultLease);
	}

	public Duration getDefaultWait() {
		return this.defaultWait;
	}

	public void setDefaultWait(Duration defaultWait) {
		if (defaultWait == null || defaultWait.isNegative()) {
			throw new InvalidPropertyException("redis.starter.lock.default-wait", defaultWait, "zero or a positive duration");
		}
		this.defaultWait = defaultWait;
	}

	public boolean isRenewal() {
		return this.renewal;
	}

	public void setRenewal(boolean renewal) {
		this.renewal = renewal;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = RedisStarterProperties.positive("redis.starter.lock.poll-interval", pollInterval);
	}

}
