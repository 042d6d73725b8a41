package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link JobHandler} method may take after its payload: the job's identity and attempt, progress
 * reporting, and a longer lease for one long step.
 */
public interface JobContext {

	/**
	 * The job's id: stable across attempts, a good idempotency key for what the handler writes elsewhere.
	 * @return the id
	 */
	String id();

	/**
	 * The job's queue.
	 * @return the queue
	 */
	String queue();

	/**
	 * This attempt, from 1.
	 * @return the attempt
	 */
	int attempt();

	/**
	 * How many attempts the job gets.
	 * @return the attempts
	 */
	int maxAttempts();

	/**
	 * When the job was enqueued, by the Redis server's clock.
	 * @return the instant
	 */
	@Nullable Instant enqueuedAt();

	/**
	 * Records progress, readable through {@link JobQueue#job} (one round trip; it also renews the lease).
	 * @param progress anything JSON can write, such as a percentage or a map
	 * @return false when this attempt no longer holds the job (its lease expired and another worker may run it)
	 */
	boolean reportProgress(Object progress);

	/**
	 * Holds the job for at least {@code lease} from now, for a step longer than the renewed lease might cover
	 * (the worker renews leases on its own while the handler runs).
	 * @param lease how long
	 * @return false when this attempt no longer holds the job
	 */
	boolean extendLease(Duration lease);

}
