package dev.redisstarter.messaging.queue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.ScriptOutputType;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.CallCoalescer;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.RedisCalls;

/**
 * Sends the single enqueues of one queue that overlap in time as one {@code enqueue.lua} call (a
 * {@link CallCoalescer} with a lane per queue). Each job keeps its own arguments: the script adds them in arrival
 * order, exactly as separate calls would, so job ids and deduplication keys behave the same (two callers with one
 * job id: the first adds it, the second gets it).
 */
final class EnqueueCoalescer {

	/** Queues with a lane of their own; enqueues to further queues (names made per tenant, say) go one by one. */
	static final int MAX_LANES = 1024;

	private final RedisCalls calls;

	private final LuaScript<?> script;

	private final QueueKeys keys;

	private final CallCoalescer<String, byte[][]> lanes;

	/** Each queue's script keys, encoded once (bounded like the lanes). */
	private final Map<String, byte[][]> scriptKeys = new ConcurrentHashMap<>();

	/**
	 * @param calls the queue's calls (deadline, circuit)
	 * @param script {@code enqueue.lua}
	 * @param keys the queue's keys
	 * @param maxJobs jobs per call at most
	 * @param maxBytes payload bytes per call at most (a single larger job still goes alone)
	 */
	EnqueueCoalescer(RedisCalls calls, LuaScript<?> script, QueueKeys keys, int maxJobs, long maxBytes) {
		this.calls = calls;
		this.script = script;
		this.keys = keys;
		this.lanes = new CallCoalescer<>(calls, "enqueue.lua", this::send, maxJobs, maxBytes, MAX_LANES);
	}

	/**
	 * Adds one job, waiting at most the deadline.
	 * @param queue the queue
	 * @param job the job's {@value RedisJobQueue#FIELDS_PER_JOB} arguments of {@code enqueue.lua}
	 * @param bytes the job's payload size
	 * @return the job's entry of the script's reply, {@code {id, added}}
	 * @throws DataAccessException when Redis failed, refused or did not answer in time
	 */
	Object enqueue(String queue, byte[][] job, long bytes) {
		return this.lanes.submit(queue, job, bytes);
	}

	private CompletableFuture<List<?>> send(String queue, List<byte[][]> jobs, long connectionWaitNanos) {
		byte[][] scriptKeys = this.scriptKeys.get(queue);
		if (scriptKeys == null) {
			scriptKeys = this.keys.scriptKeys(queue);
			if (this.scriptKeys.size() < MAX_LANES) {
				this.scriptKeys.putIfAbsent(queue, scriptKeys);
			}
		}
		int fields = RedisJobQueue.FIELDS_PER_JOB;
		byte[][] all = new byte[scriptKeys.length + 1 + jobs.size() * fields][];
		System.arraycopy(scriptKeys, 0, all, 0, scriptKeys.length);
		int at = scriptKeys.length;
		all[at++] = Integer.toString(jobs.size()).getBytes(StandardCharsets.US_ASCII);
		for (byte[][] job : jobs) {
			System.arraycopy(job, 0, all, at, fields);
			at += fields;
		}
		return this.calls.scriptAsyncConnectingWithin(connectionWaitNanos, this.script, ScriptOutputType.MULTI,
				QueueKeys.SCRIPT_KEYS, all);
	}

}
