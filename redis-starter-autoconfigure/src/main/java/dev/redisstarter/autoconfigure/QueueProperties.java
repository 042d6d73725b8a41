package dev.redisstarter.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;


/**
 * {@code redis.starter.queue.*}: JobQueue, @JobHandler workers, dead letters and schedules. The queue settings
 * here are every queue's defaults; {@code named.<queue>.*} overrides them for one queue.
 */
public class QueueProperties {

	/**
	 * Whether the starter serves job queues (JobQueue, JobDeadLetters, @JobHandler, schedules).
	 */
	private boolean enabled = true;

	/**
	 * How long each queue command (enqueue, take, complete, renew) waits for Redis; independent of
	 * spring.data.redis.timeout.
	 */
	private Duration timeout = Duration.ofMillis(500);

	/**
	 * On shutdown, how long running jobs may finish; jobs still running then, and jobs taken ahead, are released
	 * at once for another worker. Keep it below the platform's termination grace period (Kubernetes: 30s).
	 */
	private Duration shutdownWait = Duration.ofSeconds(20);

	/**
	 * The largest payload a job may have, as JSON; a larger one is refused at enqueue. Keep large data elsewhere
	 * and enqueue its reference.
	 */
	private DataSize maxPayloadSize = DataSize.ofMegabytes(1);

	/**
	 * How many enqueueAsync calls may wait for Redis's reply at once; a call beyond that waits for one of them to
	 * finish (at most the queue timeout, then its future fails), so that a producer cannot outrun Redis without bound.
	 */
	private int maxAsyncInFlight = 1000;

	/**
	 * How long a queue this instance enqueued to may hold jobs due with no worker serving it before it is reported
	 * as unhandled (a WARN log once, the jobqueues endpoint and health details, the redis.starter.queue.unhandled
	 * gauge): a misspelled queue name, or workers all gone. Must be above every queue's stalled-interval (workers
	 * check in at each stalled check); start-up refuses it otherwise.
	 */
	private Duration unhandledAfter = Duration.ofMinutes(1);

	/**
	 * Every queue's defaults.
	 */
	@NestedConfigurationProperty
	private final QueueDefaultsProperties defaults = new QueueDefaultsProperties();

	/**
	 * Settings of individual queues by name; what is not set comes from 'defaults'.
	 */
	private final Map<String, Settings> named = new LinkedHashMap<>();

	/**
	 * Job schedules by name: at each tick of a cron expression or a fixed rate, one job is enqueued into the
	 * schedule's queue, once across all instances.
	 */
	private final Map<String, QueueScheduleProperties> schedules = new LinkedHashMap<>();

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
		this.timeout = RedisStarterProperties.positive("redis.starter.queue.timeout", timeout);
	}

	public Duration getShutdownWait() {
		return this.shutdownWait;
	}

	public void setShutdownWait(Duration shutdownWait) {
		this.shutdownWait = RedisStarterProperties.positive("redis.starter.queue.shutdown-wait", shutdownWait);
	}

	public Duration getUnhandledAfter() {
		return this.unhandledAfter;
	}

	public void setUnhandledAfter(Duration unhandledAfter) {
		this.unhandledAfter = unhandledAfter;
	}

	public DataSize getMaxPayloadSize() {
		return this.maxPayloadSize;
	}

	public void setMaxPayloadSize(DataSize maxPayloadSize) {
		this.maxPayloadSize = maxPayloadSize;
	}

	public int getMaxAsyncInFlight() {
		return this.maxAsyncInFlight;
	}

	public void setMaxAsyncInFlight(int maxAsyncInFlight) {
		if (maxAsyncInFlight < 1) {
			throw new InvalidPropertyException("redis.starter.queue.max-async-in-flight", maxAsyncInFlight, "at least 1");
		}
		this.maxAsyncInFlight = maxAsyncInFlight;
	}

	public QueueDefaultsProperties getDefaults() {
		return this.defaults;
	}

	public Map<String, Settings> getNamed() {
		return this.named;
	}

	public Map<String, QueueScheduleProperties> getSchedules() {
		return this.schedules;
	}

	/**
	 * One queue's settings (each unset one falls back to the defaults).
	 */
	public static class Settings {

		/**
		 * How many jobs of the queue one instance runs at once when @JobHandler sets none.
		 */
		private @Nullable Integer concurrency;

		/**
		 * How many attempts a job gets before it goes to the dead letters, when the job sets none.
		 */
		private @Nullable Integer attempts;

		/**
		 * How long one attempt may run before its handler is interrupted and the attempt counts as failed, when the job sets none. Unset: no limit.
		 */
		private @Nullable Duration attemptTimeout;

		/**
		 * How long a taken job stays its worker's without a renewal; workers renew every third of it while the handler runs. A worker that stops renewing (crash, kill, freeze) loses its jobs after this.
		 */
		private @Nullable Duration lease;

		/**
		 * How often each instance looks for jobs whose lease expired and puts them back to waiting.
		 */
		private @Nullable Duration stalledInterval;

		/**
		 * How many times a job may stall (its lease expire) before it goes to the dead letters instead of back to waiting.
		 */
		private @Nullable Integer maxStalled;

		/**
		 * The longest an idle worker waits on the queue's signal before it looks again (added jobs and due delayed jobs wake it earlier).
		 */
		private @Nullable Duration idleWait;

		/**
		 * The most jobs a worker takes ahead of its handlers. It takes about 20 ms of work ahead by the measured
		 * handling time: many short jobs per take, none for long jobs (which stay in Redis for any free worker).
		 */
		private @Nullable Integer prefetch;

		/**
		 * The wait between attempts: initial × multiplier^(attempt - 1), at most max, ± jitter.
		 */
		@NestedConfigurationProperty
		private final BackoffProperties backoff = new BackoffProperties();

		/**
		 * How many completed jobs are kept, and for how long.
		 */
		@NestedConfigurationProperty
		private final RetentionProperties completed = new RetentionProperties();

		/**
		 * How many dead letters are kept, and for how long.
		 */
		@NestedConfigurationProperty
		private final RetentionProperties dead = new RetentionProperties();

		/**
		 * How many jobs of the queue may start per window, across all workers of all instances.
		 */
		@NestedConfigurationProperty
		private final RateLimitSettings rateLimit = new RateLimitSettings();

		/**
		 * When a handler that fails job after job (a downstream is down) pauses its worker instead of spending every
		 * job's attempts: nothing is dead-lettered while the circuit is open.
		 */
		@NestedConfigurationProperty
		private final HandlerCircuitProperties circuit = new HandlerCircuitProperties();

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = PropertyChecks.between("redis.starter.queue.*.concurrency", concurrency, 1, 1024);
		}

		public @Nullable Integer getAttempts() {
			return this.attempts;
		}

		public void setAttempts(@Nullable Integer attempts) {
			this.attempts = PropertyChecks.atLeast("redis.starter.queue.*.attempts", attempts, 1);
		}

		public @Nullable Duration getAttemptTimeout() {
			return this.attemptTimeout;
		}

		public void setAttemptTimeout(@Nullable Duration attemptTimeout) {
			this.attemptTimeout = PropertyChecks.positive("redis.starter.queue.*.attempt-timeout", attemptTimeout);
		}

		public @Nullable Duration getLease() {
			return this.lease;
		}

		public void setLease(@Nullable Duration lease) {
			this.lease = PropertyChecks.atLeastMillis("redis.starter.queue.*.lease", lease, 300);
		}

		public @Nullable Duration getStalledInterval() {
			return this.stalledInterval;
		}

		public void setStalledInterval(@Nullable Duration stalledInterval) {
			this.stalledInterval = PropertyChecks.positive("redis.starter.queue.*.stalled-interval", stalledInterval);
		}

		public @Nullable Integer getMaxStalled() {
			return this.maxStalled;
		}

		public void setMaxStalled(@Nullable Integer maxStalled) {
			this.maxStalled = PropertyChecks.atLeast("redis.starter.queue.*.max-stalled", maxStalled, 0);
		}

		public @Nullable Duration getIdleWait() {
			return this.idleWait;
		}

		public void setIdleWait(@Nullable Duration idleWait) {
			this.idleWait = PropertyChecks.positive("redis.starter.queue.*.idle-wait", idleWait);
		}

		public @Nullable Integer getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(@Nullable Integer prefetch) {
			this.prefetch = PropertyChecks.between("redis.starter.queue.*.prefetch", prefetch, 0, 10_000);
		}

		public BackoffProperties getBackoff() {
			return this.backoff;
		}

		public RetentionProperties getCompleted() {
			return this.completed;
		}

		public RetentionProperties getDead() {
			return this.dead;
		}

		public RateLimitSettings getRateLimit() {
			return this.rateLimit;
		}

		public HandlerCircuitProperties getCircuit() {
			return this.circuit;
		}

	}

	/**
	 * The wait between attempts.
	 */
	public static class BackoffProperties {

		/**
		 * The wait after the first failed attempt.
		 */
		private @Nullable Duration initial;

		/**
		 * How much each further failure multiplies the wait; 1 for a fixed backoff.
		 */
		private @Nullable Double multiplier;

		/**
		 * The longest wait.
		 */
		private @Nullable Duration max;

		/**
		 * How much each wait is spread, as a fraction (0.2: ± 20 %).
		 */
		private @Nullable Double jitter;

		public @Nullable Duration getInitial() {
			return this.initial;
		}

		public void setInitial(@Nullable Duration initial) {
			this.initial = PropertyChecks.atLeastMillis("redis.starter.queue.*.backoff.initial", initial, 1);
		}

		public @Nullable Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(@Nullable Double multiplier) {
			this.multiplier = PropertyChecks.multiplier("redis.starter.queue.*.backoff.multiplier", multiplier);
		}

		public @Nullable Duration getMax() {
			return this.max;
		}

		public void setMax(@Nullable Duration max) {
			this.max = PropertyChecks.atLeastMillis("redis.starter.queue.*.backoff.max", max, 1);
		}

		public @Nullable Double getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Double jitter) {
			this.jitter = PropertyChecks.fraction("redis.starter.queue.*.backoff.jitter", jitter, 1.0);
		}

	}

	/**
	 * How many finished jobs are kept, and for how long.
	 */
	public static class RetentionProperties {

		/**
		 * How many are kept; the oldest go first.
		 */
		private @Nullable Long maxCount;

		/**
		 * How long each is kept.
		 */
		private @Nullable Duration maxAge;

		public @Nullable Long getMaxCount() {
			return this.maxCount;
		}

		public void setMaxCount(@Nullable Long maxCount) {
			this.maxCount = PropertyChecks.atLeast("redis.starter.queue.*.(completed|dead).max-count", maxCount, 0);
		}

		public @Nullable Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(@Nullable Duration maxAge) {
			this.maxAge = PropertyChecks.positive("redis.starter.queue.*.(completed|dead).max-age", maxAge);
		}

	}

	/**
	 * A global rate limit on job starts.
	 */
	public static class RateLimitSettings {

		/**
		 * How many jobs may start per window across all instances; 0 for no limit.
		 */
		private @Nullable Long limit;

		/**
		 * The window (fixed windows of the Redis server's clock).
		 */
		private @Nullable Duration window;

		public @Nullable Long getLimit() {
			return this.limit;
		}

		public void setLimit(@Nullable Long limit) {
			this.limit = PropertyChecks.atLeast("redis.starter.queue.*.rate-limit.limit", limit, 0);
		}

		public @Nullable Duration getWindow() {
			return this.window;
		}

		public void setWindow(@Nullable Duration window) {
			this.window = PropertyChecks.positive("redis.starter.queue.*.rate-limit.window", window);
		}

	}

}
