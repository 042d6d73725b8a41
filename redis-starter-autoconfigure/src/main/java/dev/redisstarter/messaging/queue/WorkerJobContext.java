package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The {@link JobContext} of one attempt; progress and lease extensions go through its worker's {@link JobLeases}.
 */
final class WorkerJobContext implements JobContext {

	private final String queue;

	private final TakenJob job;

	private final JobLeases leases;

	WorkerJobContext(String queue, TakenJob job, JobLeases leases) {
		this.queue = queue;
		this.job = job;
		this.leases = leases;
	}

	@Override
	public String id() {
		return this.job.id();
	}

	@Override
	public String queue() {
		return this.queue;
	}

	@Override
	public int attempt() {
		return this.job.attempt();
	}

	@Override
	public int maxAttempts() {
		return this.job.maxAttempts();
	}

	@Override
	public @Nullable Instant enqueuedAt() {
		return (this.job.createdMillis() > 0) ? Instant.ofEpochMilli(this.job.createdMillis()) : null;
	}

	@Override
	public boolean reportProgress(Object progress) {
		return this.leases.progress(this.job, progress, null);
	}

	@Override
	public boolean extendLease(Duration lease) {
		return this.leases.progress(this.job, null, lease);
	}

	@Override
	public String toString() {
		return "job " + this.job.id() + " of queue '" + this.queue + "', attempt " + this.job.attempt() + " of "
				+ this.job.maxAttempts();
	}

}
