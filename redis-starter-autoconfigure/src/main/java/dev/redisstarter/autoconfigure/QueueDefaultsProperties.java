package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Every queue's defaults, under {@code redis.starter.queue.defaults}. A class apart from the per-queue
 * {@link QueueProperties.Settings} (whose unset values fall back to these), so that the defaults are field
 * initializers and the configuration metadata shows them.
 */
public class QueueDefaultsProperties {

	/**
	 * How many jobs of a queue one instance runs at once when @JobHandler sets none.
	 */
	private int concurrency = 1;

	/**
	 * How many attempts a job gets before it goes to the dead letters, when the job sets none.
	 */
	private int attempts = 3;

	/**
	 * How long one attempt may run before its handler is interrupted and the attempt counts as failed, when the
	 * job sets none. Unset: no limit.
	 */
	private @Nullable Duration attemptTimeout;

	/**
	 * How long a taken job stays its worker's without a renewal; workers renew every third of it while the handler
	 * runs. A worker that stops renewing (crash, kill, freeze) loses its jobs after this.
	 */
	private Duration lease = Duration.ofSeconds(30);

	/**
	 * How often each instance looks for jobs whose lease expired and puts them back to waiting.
	 */
	private Duration stalledInterval = Duration.ofSeconds(5);

	/**
	 * How many times a job may stall (its lease expire) before it goes to the dead letters instead of back to
	 * waiting.
	 */
	private int maxStalled = 1;

	/**
	 * The longest an idle worker waits on the queue's signal before it looks again (added jobs and due delayed jobs
	 * wake it earlier).
	 */
	private Duration idleWait = Duration.ofSeconds(5);

	/**
	 * The most jobs a worker takes ahead of its handlers. It takes about 20 ms of work ahead by the measured
	 * handling time: many short jobs per take, none for long jobs (which stay in Redis for any free worker).
	 */
	private int prefetch = 64;

	/**
	 * The wait between attempts: initial × multiplier^(attempt - 1), at most max, ± jitter.
	 */
	@NestedConfigurationProperty
	private final Backoff backoff = new Backoff();

	/**
	 * How many completed jobs are kept, and for how long.
	 */
	@NestedConfigurationProperty
	private final Completed completed = new Completed();

	/**
	 * How many dead letters are kept, and for how long.
	 */
	@NestedConfigurationProperty
	private final Dead dead = new Dead();

	/**
	 * How many jobs of a queue may start per window, across all workers of all instances.
	 */
	@NestedConfigurationProperty
	private final RateLimit rateLimit = new RateLimit();

	/**
	 * When a handler that fails job after job (a downstream is down) pauses its worker instead of spending every
	 * job's attempts: nothing is dead-lettered while the circuit is open.
	 */
	@NestedConfigurationProperty
	private final HandlerCircuitDefaultsProperties circuit = new HandlerCircuitDefaultsProperties();

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = PropertyChecks.between("redis.starter.queue.defaults.concurrency", concurrency, 1, 1024);
	}

	public int getAttempts() {
		return this.attempts;
	}

	public void setAttempts(int attempts) {
		this.attempts = PropertyChecks.atLeast("redis.starter.queue.defaults.attempts", attempts, 1);
	}

	public @Nullable Duration getAttemptTimeout() {
		return this.attemptTimeout;
	}

	public void setAttemptTimeout(@Nullable Duration attemptTimeout) {
		this.attemptTimeout = PropertyChecks.positive("redis.starter.queue.defaults.attempt-timeout", attemptTimeout);
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = PropertyChecks.atLeastMillis("redis.starter.queue.defaults.lease", lease, 300);
	}

	public Duration getStalledInterval() {
		return this.stalledInterval;
	}

	public void setStalledInterval(Duration stalledInterval) {
		this.stalledInterval = PropertyChecks.positive("redis.starter.queue.defaults.stalled-interval", stalledInterval);
	}

	public int getMaxStalled() {
		return this.maxStalled;
	}

	public void setMaxStalled(int maxStalled) {
		this.maxStalled = PropertyChecks.atLeast("redis.starter.queue.defaults.max-stalled", maxStalled, 0);
	}

	public Duration getIdleWait() {
		return this.idleWait;
	}

	public void setIdleWait(Duration idleWait) {
		this.idleWait = PropertyChecks.positive("redis.starter.queue.defaults.idle-wait", idleWait);
	}

	public int getPrefetch() {
		return this.prefetch;
	}

	public void setPrefetch(int prefetch) {
		this.prefetch = PropertyChecks.between("redis.starter.queue.defaults.prefetch", prefetch, 0, 10_000);
	}

	public Backoff getBackoff() {
		return this.backoff;
	}

	public Completed getCompleted() {
		return this.completed;
	}

	public Dead getDead() {
		return this.dead;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	public HandlerCircuitDefaultsProperties getCircuit() {
		return this.circuit;
	}

	/**
	 * The wait between attempts: initial × multiplier^(attempt - 1), at most max, ± jitter.
	 */
	public static class Backoff {

		/**
		 * The wait after the first failure.
		 */
		private Duration initial = Duration.ofSeconds(1);

		/**
		 * How much each further failure multiplies the wait; 1 for a fixed backoff.
		 */
		private double multiplier = 2.0;

		/**
		 * The longest wait.
		 */
		private Duration max = Duration.ofMinutes(5);

		/**
		 * How much each wait is spread, as a fraction (0.2: ± 20 %).
		 */
		private double jitter = 0.2;

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = PropertyChecks.atLeastMillis("redis.starter.queue.defaults.backoff.initial", initial, 1);
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = PropertyChecks.multiplier("redis.starter.queue.defaults.backoff.multiplier", multiplier);
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = PropertyChecks.atLeastMillis("redis.starter.queue.defaults.backoff.max", max, 1);
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = PropertyChecks.fraction("redis.starter.queue.defaults.backoff.jitter", jitter, 1.0);
		}
	}

	/**
	 * How many completed jobs are kept, and for how long.
	 */
	public static class Completed {

		/**
		 * How many are kept; the oldest go first.
		 */
		private long maxCount = 1000;

		/**
		 * How long each is kept.
		 */
		private Duration maxAge = Duration.ofHours(1);

		public long getMaxCount() {
			return this.maxCount;
		}

		public void setMaxCount(long maxCount) {
			this.maxCount = PropertyChecks.atLeast("redis.starter.queue.defaults.completed.max-count", maxCount, 0);
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = PropertyChecks.positive("redis.starter.queue.defaults.completed.max-age", maxAge);
		}
	}

	/**
	 * How many dead letters are kept, and for how long.
	 */
	public static class Dead {

		/**
		 * How many are kept; the oldest go first.
		 */
		private long maxCount = 10_000;

		/**
		 * How long each is kept.
		 */
		private Duration maxAge = Duration.ofDays(7);

		public long getMaxCount() {
			return this.maxCount;
		}

		public void setMaxCount(long maxCount) {
			this.maxCount = PropertyChecks.atLeast("redis.starter.queue.defaults.dead.max-count", maxCount, 1);
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = PropertyChecks.positive("redis.starter.queue.defaults.dead.max-age", maxAge);
		}
	}

	/**
	 * A global rate limit on job starts.
	 */
	public static class RateLimit {

		/**
		 * How many jobs may start per window across all instances; 0 for no limit.
		 */
		private long limit = 0;

		/**
		 * The window (fixed windows of the Redis server's clock).
		 */
		private Duration window = Duration.ofSeconds(1);

		public long getLimit() {
			return this.limit;
		}

		public void setLimit(long limit) {
			this.limit = PropertyChecks.atLeast("redis.starter.queue.defaults.rate-limit.limit", limit, 0);
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = PropertyChecks.positive("redis.starter.queue.defaults.rate-limit.window", window);
		}
	}
}
