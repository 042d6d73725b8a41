package dev.redisstarter.benchmarks.queue;

import java.util.Map;

/**
 * What one measured run of one side found. The counters cover the measured window only: from just before the
 * first add (enqueue and latency runs) or the worker's start (drain runs) until the last add returned or the last
 * job was completed.
 *
 * @param side the side's name
 * @param phase the phase
 * @param repetition from 1
 * @param jobs jobs measured
 * @param seconds the measured window
 * @param commands commands Redis ran in the window, those run inside Lua scripts included ({@code INFO commandstats}
 * deltas; the probe's own {@code INFO} calls left out)
 * @param byCommand the same per command
 * @param redisCpuSeconds the server's CPU time in the window ({@code used_cpu_user + used_cpu_sys})
 * @param redisMemoryBytes how much the server's {@code used_memory} grew in the window (enqueue runs: what the
 * waiting jobs take)
 * @param clientCpuSeconds the client process's CPU time in the window (the Node.js process or this JVM)
 * @param gcCount garbage collections of the client process in the window (V8's as its {@code gc} performance
 * entries report them, the JVM's as its {@code GarbageCollectorMXBean}s do)
 * @param gcMillis their time
 * @param handled handler calls
 * @param duplicates jobs handled more than once
 * @param missing jobs never handled (drain and latency runs)
 * @param p50Ms add-to-start latency, median (latency runs, otherwise NaN)
 * @param p99Ms add-to-start latency, 99th percentile
 * @param maxMs add-to-start latency, maximum
 * @param left what the queue held after the run, for the log
 */
record PhaseResult(String side, Phase phase, int repetition, int jobs, double seconds, long commands,
		Map<String, Long> byCommand, double redisCpuSeconds, long redisMemoryBytes, double clientCpuSeconds,
		long gcCount, double gcMillis, long handled, long duplicates,
		long missing, double p50Ms, double p99Ms, double maxMs, String left) {

	double jobsPerSecond() {
		return this.jobs / this.seconds;
	}

	double commandsPerJob() {
		return (double) this.commands / this.jobs;
	}

	/** {@code EVAL}, {@code EVALSHA} and {@code FCALL} calls per job: the scripts' share of the round trips. */
	double scriptsPerJob() {
		long scripts = 0;
		for (String command : new String[] { "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro" }) {
			scripts += this.byCommand.getOrDefault(command, 0L);
		}
		return (double) scripts / this.jobs;
	}

	double redisCpuMicrosPerJob() {
		return this.redisCpuSeconds * 1e6 / this.jobs;
	}

	double redisBytesPerJob() {
		return (double) this.redisMemoryBytes / this.jobs;
	}

	double clientCpuMicrosPerJob() {
		return this.clientCpuSeconds * 1e6 / this.jobs;
	}

	/** Whether every job ran exactly once (enqueue runs have no handler and count as clean). */
	boolean clean() {
		return this.phase.isEnqueue() || (this.missing == 0 && this.duplicates == 0 && this.handled == this.jobs);
	}

}
