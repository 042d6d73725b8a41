package dev.redisstarter.benchmarks.queue;

/**
 * The workload, the same for both sides.
 *
 * @param jobs jobs per enqueue run
 * @param drainJobs jobs in the backlog of a drain run
 * @param warmupJobs jobs of the warm-up that starts each enqueue and drain run (removed before the measured part)
 * @param producers concurrent producers of single adds
 * @param batch jobs per bulk add
 * @param latencyConcurrency the idle worker's concurrency in the latency run
 * @param rate adds per second in the latency run
 * @param seconds how long the latency run adds
 * @param warmupSeconds how long the latency run adds before it measures
 */
record Settings(int jobs, int drainJobs, int warmupJobs, int producers, int batch, int latencyConcurrency, int rate,
		double seconds,
		double warmupSeconds) {

	/** Jobs measured in a run of {@code phase}. */
	int jobs(Phase phase) {
		return phase.isDrain() ? this.drainJobs : this.jobs;
	}

	int latencyJobs() {
		return (int) Math.round(this.rate * this.seconds);
	}

	int latencyWarmupJobs() {
		return (int) Math.round(this.rate * this.warmupSeconds);
	}

}
