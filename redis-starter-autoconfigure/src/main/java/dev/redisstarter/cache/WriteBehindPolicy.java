package dev.redisstarter.cache;

import java.time.Duration;
import java.util.Objects;

import dev.redisstarter.core.Durations;
import dev.redisstarter.messaging.RetryBackoff;

/**
 * How one write-behind cache persists its writes ({@code redis.starter.cache.caches.<name>.write-behind.*}).
 *
 * @param partitions how many streams the cache's writes are spread over (by key); each is persisted by one instance
 * at a time, so this bounds how many instances share the work, and on a Cluster how many slots the cache uses
 * @param batchSize the most writes handed to the writer in one call (before coalescing per key)
 * @param maxDelay how long a write may wait for its batch to fill before it is handed over anyway
 * @param maxAttempts how many times a batch is tried before its keys are tried one by one and those that still
 * fail are dead-lettered
 * @param backoff the wait between attempts
 * @param lease how long a partition stays with an instance that stopped renewing it (a crashed instance's
 * partitions are taken over after this)
 * @param maxBacklog the most writes a partition's stream may hold before writes are refused (0: no bound); writes
 * not persisted are never trimmed
 * @param deadLetterMaxLength the approximate bound on each partition's dead letters (0: none)
 * @param drainTimeout how long a graceful shutdown waits for the writes still pending to be persisted
 */
public record WriteBehindPolicy(int partitions, int batchSize, Duration maxDelay, int maxAttempts, RetryBackoff backoff,
		Duration lease, long maxBacklog, long deadLetterMaxLength, Duration drainTimeout) {

	/**
	 * 4 partitions, batches of up to 100 writes or 1 s, 5 attempts 1 s apart doubling up to 1 min, 10 s lease,
	 * 1,000,000 writes per partition, 10,000 dead letters, 10 s drain.
	 */
	public static final WriteBehindPolicy DEFAULTS = new WriteBehindPolicy(4, 100, Duration.ofSeconds(1), 5,
			RetryBackoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1)), Duration.ofSeconds(10), 1_000_000,
			10_000, Duration.ofSeconds(10));

	/**
	 * Checks the policy.
	 * @param partitions see the record
	 * @param batchSize see the record
	 * @param maxDelay see the record
	 * @param maxAttempts see the record
	 * @param backoff see the record
	 * @param lease see the record
	 * @param maxBacklog see the record
	 * @param deadLetterMaxLength see the record
	 * @param drainTimeout see the record
	 */
	public WriteBehindPolicy {
		if (partitions < 1 || partitions > 1024) {
			throw new IllegalArgumentException("partitions must be between 1 and 1024, was " + partitions);
		}
		if (batchSize < 1 || batchSize > 10_000) {
			throw new IllegalArgumentException("batch-size must be between 1 and 10000, was " + batchSize);
		}
		Durations.requirePositive("max-delay", maxDelay);
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("max-attempts must be at least 1, was " + maxAttempts);
		}
		Objects.requireNonNull(backoff, "backoff must not be null");
		Durations.requirePositive("lease", lease);
		if (lease.toMillis() < 300) {
			throw new IllegalArgumentException("lease must be at least 300 ms (it is renewed every third), was " + lease);
		}
		if (maxBacklog < 0 || deadLetterMaxLength < 0) {
			throw new IllegalArgumentException("max-backlog and dead-letter-max-length must not be negative");
		}
		Durations.requirePositive("drain-timeout", drainTimeout);
	}

	/**
	 * This policy with other batching.
	 * @param batchSize the most writes per writer call
	 * @param maxDelay the longest wait for a batch to fill
	 * @return a new policy
	 */
	public WriteBehindPolicy withBatching(int batchSize, Duration maxDelay) {
		return new WriteBehindPolicy(this.partitions, batchSize, maxDelay, this.maxAttempts, this.backoff, this.lease,
				this.maxBacklog, this.deadLetterMaxLength, this.drainTimeout);
	}

	/**
	 * This policy with other retries.
	 * @param maxAttempts attempts of a batch
	 * @param backoff the wait between them
	 * @return a new policy
	 */
	public WriteBehindPolicy withRetries(int maxAttempts, RetryBackoff backoff) {
		return new WriteBehindPolicy(this.partitions, this.batchSize, this.maxDelay, maxAttempts, backoff, this.lease,
				this.maxBacklog, this.deadLetterMaxLength, this.drainTimeout);
	}

	/**
	 * This policy with another lease and partition count.
	 * @param partitions how many streams
	 * @param lease how long a silent instance keeps a partition
	 * @return a new policy
	 */
	public WriteBehindPolicy withPartitions(int partitions, Duration lease) {
		return new WriteBehindPolicy(partitions, this.batchSize, this.maxDelay, this.maxAttempts, this.backoff, lease,
				this.maxBacklog, this.deadLetterMaxLength, this.drainTimeout);
	}

	/**
	 * This policy with another drain timeout.
	 * @param drainTimeout how long a shutdown waits
	 * @return a new policy
	 */
	public WriteBehindPolicy withDrainTimeout(Duration drainTimeout) {
		return new WriteBehindPolicy(this.partitions, this.batchSize, this.maxDelay, this.maxAttempts, this.backoff,
				this.lease, this.maxBacklog, this.deadLetterMaxLength, drainTimeout);
	}

}
