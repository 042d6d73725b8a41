package dev.redisstarter.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.redisstarter.cache.WriteBehindPolicy;
import dev.redisstarter.messaging.RetryBackoff;

/**
 * One cache's write-behind, under {@code redis.starter.cache.caches.<name>.write-behind}: writes are stored in Redis
 * and appended to a stream in one step, then persisted in batches by a {@code WriteBehindWriter} bean.
 */
public class WriteBehindProperties {

	private static final String PREFIX = "redis.starter.cache.caches.*.write-behind.";

	private static final WriteBehindPolicy DEFAULTS = WriteBehindPolicy.DEFAULTS;

	/**
	 * Whether this cache is write-behind.
	 */
	private boolean enabled;

	/**
	 * The name of the WriteBehindWriter bean that persists this cache; may be left out when there is one such bean.
	 */
	private @Nullable String writer;

	/**
	 * Whether this instance persists the cache's writes (false: it only writes, other instances persist).
	 */
	private boolean persist = true;

	/**
	 * How many streams the writes are spread over by key; each is persisted by one instance at a time.
	 */
	private int partitions = DEFAULTS.partitions();

	/**
	 * The most writes handed to the writer in one call (before coalescing per key).
	 */
	private int batchSize = DEFAULTS.batchSize();

	/**
	 * How long a write may wait for its batch to fill before the batch is handed over anyway.
	 */
	private Duration maxDelay = DEFAULTS.maxDelay();

	/**
	 * How many times a batch is tried before its keys are tried one by one and those that still fail are dead-lettered.
	 */
	private int maxAttempts = DEFAULTS.maxAttempts();

	/**
	 * How long a partition stays with an instance that stopped renewing it (a crashed instance's partitions are taken
	 * over after this).
	 */
	private Duration lease = DEFAULTS.lease();

	/**
	 * The most writes a partition may hold before writes are refused (0: no bound); writes not persisted are never
	 * trimmed.
	 */
	private long maxBacklog = DEFAULTS.maxBacklog();

	/**
	 * The approximate bound on each partition's dead letters (0: none).
	 */
	private long deadLetterMaxLength = DEFAULTS.deadLetterMaxLength();

	/**
	 * How long a graceful shutdown waits for pending writes to be persisted.
	 */
	private Duration drainTimeout = DEFAULTS.drainTimeout();

	/**
	 * The wait between attempts of a failing batch: initial × multiplier^(attempt - 1), at most max, ± jitter.
	 */
	private final Backoff backoff = new Backoff();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getWriter() {
		return this.writer;
	}

	public void setWriter(@Nullable String writer) {
		this.writer = writer;
	}

	public boolean isPersist() {
		return this.persist;
	}

	public void setPersist(boolean persist) {
		this.persist = persist;
	}

	public int getPartitions() {
		return this.partitions;
	}

	public void setPartitions(int partitions) {
		this.partitions = PropertyChecks.between(PREFIX + "partitions", partitions, 1, 1024);
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = PropertyChecks.between(PREFIX + "batch-size", batchSize, 1, 10_000);
	}

	public Duration getMaxDelay() {
		return this.maxDelay;
	}

	public void setMaxDelay(Duration maxDelay) {
		this.maxDelay = PropertyChecks.atLeastMillis(PREFIX + "max-delay", maxDelay, 1);
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = PropertyChecks.atLeast(PREFIX + "max-attempts", maxAttempts, 1);
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = PropertyChecks.atLeastMillis(PREFIX + "lease", lease, 300);
	}

	public long getMaxBacklog() {
		return this.maxBacklog;
	}

	public void setMaxBacklog(long maxBacklog) {
		this.maxBacklog = PropertyChecks.atLeast(PREFIX + "max-backlog", maxBacklog, 0);
	}

	public long getDeadLetterMaxLength() {
		return this.deadLetterMaxLength;
	}

	public void setDeadLetterMaxLength(long deadLetterMaxLength) {
		this.deadLetterMaxLength = PropertyChecks.atLeast(PREFIX + "dead-letter-max-length", deadLetterMaxLength, 0);
	}

	public Duration getDrainTimeout() {
		return this.drainTimeout;
	}

	public void setDrainTimeout(Duration drainTimeout) {
		this.drainTimeout = PropertyChecks.atLeastMillis(PREFIX + "drain-timeout", drainTimeout, 1);
	}

	public Backoff getBackoff() {
		return this.backoff;
	}

	/** The policy these properties describe. */
	WriteBehindPolicy policy() {
		return new WriteBehindPolicy(this.partitions, this.batchSize, this.maxDelay, this.maxAttempts,
				new RetryBackoff(this.backoff.initial, this.backoff.multiplier, this.backoff.max, this.backoff.jitter),
				this.lease, this.maxBacklog, this.deadLetterMaxLength, this.drainTimeout);
	}

	/**
	 * The wait between attempts of a failing batch, as a stream's ({@code redis.starter.stream.defaults.backoff}).
	 */
	public static class Backoff {

		/**
		 * The wait after the first failure.
		 */
		private Duration initial = DEFAULTS.backoff().initial();

		/**
		 * How much each further failure multiplies the wait; 1 for a fixed backoff.
		 */
		private double multiplier = DEFAULTS.backoff().multiplier();

		/**
		 * The longest wait.
		 */
		private Duration max = DEFAULTS.backoff().max();

		/**
		 * How much each wait is spread, as a fraction (0.2: ± 20 %).
		 */
		private double jitter = DEFAULTS.backoff().jitter();

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = PropertyChecks.atLeastMillis(PREFIX + "backoff.initial", initial, 1);
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = PropertyChecks.multiplier(PREFIX + "backoff.multiplier", multiplier);
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = PropertyChecks.atLeastMillis(PREFIX + "backoff.max", max, 1);
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = PropertyChecks.fraction(PREFIX + "backoff.jitter", jitter, 1.0);
		}

	}

}
