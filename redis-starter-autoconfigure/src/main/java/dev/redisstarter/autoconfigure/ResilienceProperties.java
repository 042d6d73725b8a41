package dev.redisstarter.autoconfigure;

import java.time.Duration;

import dev.redisstarter.core.ServerCheck;

/**
 * How the starter behaves when Redis is down, slow or frozen, under {@code redis.starter.resilience}. Each
 * capability's own deadline is {@code redis.starter.<feature>.timeout}.
 */
public class ResilienceProperties {

	/**
	 * Calls in a row that fail to reach Redis (connection failures or expired deadlines) before the circuit
	 * opens and calls fail fast without touching the network.
	 */
	private int failureThreshold = 3;

	/**
	 * How long the circuit stays open before each probe (a PING, or a fresh connection); the first answer
	 * closes it.
	 */
	private Duration openDuration = Duration.ofSeconds(1);

	/**
	 * How long a probe waits for Redis's answer.
	 */
	private Duration probeTimeout = Duration.ofMillis(500);

	/**
	 * How often the starter's subscriptions (cache invalidations, lock release notices) are checked with a
	 * PING, so that a connection dropped silently (a NAT or load balancer) is noticed.
	 */
	private Duration livenessInterval = Duration.ofSeconds(5);

	/**
	 * How long that PING may take before the subscription is distrusted and replaced.
	 */
	private Duration livenessTimeout = Duration.ofSeconds(1);

	/**
	 * How long start-up waits for the starter's first connection, so that the first requests find it ready, and
	 * then for the listeners' subscriptions to be confirmed, so that a message published once the application has
	 * started reaches its own listeners. A Redis that refuses connections costs no wait; one that does not answer
	 * costs at most this. 0 never waits.
	 */
	private Duration startupWait = Duration.ofSeconds(2);

	/**
	 * What to do when the server's maxmemory-policy can evict keys the starter needs kept (locks, sessions,
	 * rate limits): 'warn' (log and show in health), 'fail' (refuse to start when Redis is reachable at start-up,
	 * health DOWN otherwise) or 'ignore'.
	 */
	private ServerCheck.Mode evictionPolicyCheck = ServerCheck.Mode.WARN;

	public int getFailureThreshold() {
		return this.failureThreshold;
	}

	public void setFailureThreshold(int failureThreshold) {
		if (failureThreshold < 1) {
			throw new InvalidPropertyException("redis.starter.resilience.failure-threshold", failureThreshold, "at least 1");
		}
		this.failureThreshold = failureThreshold;
	}

	public Duration getOpenDuration() {
		return this.openDuration;
	}

	public void setOpenDuration(Duration openDuration) {
		this.openDuration = RedisStarterProperties.positive("redis.starter.resilience.open-duration", openDuration);
	}

	public Duration getProbeTimeout() {
		return this.probeTimeout;
	}

	public void setProbeTimeout(Duration probeTimeout) {
		this.probeTimeout = RedisStarterProperties.positive("redis.starter.resilience.probe-timeout", probeTimeout);
	}

	public Duration getLivenessInterval() {
		return this.livenessInterval;
	}

	public void setLivenessInterval(Duration livenessInterval) {
		this.livenessInterval = RedisStarterProperties.positive("redis.starter.resilience.liveness-interval",
				livenessInterval);
	}

	public Duration getLivenessTimeout() {
		return this.livenessTimeout;
	}

	public void setLivenessTimeout(Duration livenessTimeout) {
		this.livenessTimeout = RedisStarterProperties.positive("redis.starter.resilience.liveness-timeout",
				livenessTimeout);
	}

	public Duration getStartupWait() {
		return this.startupWait;
	}

	public void setStartupWait(Duration startupWait) {
		if (startupWait == null || startupWait.isNegative()) {
			throw new InvalidPropertyException("redis.starter.resilience.startup-wait", startupWait,
					"zero or a positive duration");
		}
		this.startupWait = startupWait;
	}

	public ServerCheck.Mode getEvictionPolicyCheck() {
		return this.evictionPolicyCheck;
	}

	public void setEvictionPolicyCheck(ServerCheck.Mode evictionPolicyCheck) {
		this.evictionPolicyCheck = evictionPolicyCheck;
	}

}
