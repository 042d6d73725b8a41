package dev.redisstarter.messaging.queue;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.ScriptArgs;

/**
 * {@link JobDeadLetters} on Redis: {@code dead-list.lua}, {@code dead-retry.lua} and {@code dead-purge.lua};
 * "all" runs in batches of 1000 jobs per script, so that no call blocks Redis for long.
 */
@SuppressWarnings("rawtypes")
public final class RedisJobDeadLetters implements JobDeadLetters {

	private static final int BATCH = 1000;

	private final RedisCalls calls;

	private final QueueKeys keys;

	private final QueueScripts scripts = QueueScripts.load();

	private final JsonMapper mapper;

	/**
	 * Dead letters on the starter's connection.
	 * @param calls the starter's calls with the queue deadline
	 * @param keys the queue keys
	 * @param mapper reads records
	 */
	public RedisJobDeadLetters(RedisCalls calls, QueueKeys keys, JsonMapper mapper) {
		this.calls = calls;
		this.keys = keys;
		this.mapper = mapper;
	}

	@Override
	public List<JobInfo> list(String queue, int offset, int count) {
		if (offset < 0 || count < 1) {
			throw new IllegalArgumentException("offset must not be negative and count positive, were " + offset + " and "
					+ count);
		}
		try {
			List<?> reply = this.calls.script(this.scripts.deadList(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys.scriptKeys(queue), ScriptArgs.utf8(Integer.toString(offset)),
							ScriptArgs.utf8(Integer.toString(Math.min(count, BATCH)))));
			List<JobInfo> jobs = new ArrayList<>(reply.size());
			for (Object entry : reply) {
				List<?> pair = (List<?>) entry;
				JobInfo job = JobRecords.read(this.mapper, queue, JobRecords.text(pair.get(0)), (List<?>) pair.get(1));
				if (job != null) {
					jobs.add(job);
				}
			}
			return jobs;
		}
		catch (DataAccessException ex) {
			throw new JobQueueUnavailableException(queue, "list dead letters", ex);
		}
	}

	@Override
	public boolean replay(String queue, String jobId) {
		return run(queue, "replay a dead letter", this.scripts.deadRetry(), jobId).done() > 0;
	}

	@Override
	public long replayAll(String queue) {
		return all(queue, "replay dead letters", this.scripts.deadRetry());
	}

	@Override
	public boolean purge(String queue, String jobId) {
		return run(queue, "purge a dead letter", this.scripts.deadPurge(), jobId).done() > 0;
	}

	@Override
	public long purgeAll(String queue) {
		return all(queue, "purge dead letters", this.scripts.deadPurge());
	}

	/** Runs batches until one looks at fewer ids than a batch (ids whose record expired count as looked at). */
	private long all(String queue, String operation, LuaScript<List> script) {
		long total = 0;
		while (true) {
			DeadBatchReply done = run(queue, operation, script, null);
			total += done.done();
			if (done.lookedAt() < BATCH) {
				return total;
			}
		}
	}

	private DeadBatchReply run(String queue, String operation, LuaScript<List> script, @Nullable String jobId) {
		QueueKeys.requireName(queue);
		try {
			byte[][] keys = this.keys.scriptKeys(queue);
			byte[][] keysAndArgs = (jobId != null)
					? QueueKeys.keysAndArgs(keys, ScriptArgs.utf8("1"), ScriptArgs.utf8(jobId))
					: QueueKeys.keysAndArgs(keys, ScriptArgs.utf8(Integer.toString(BATCH)));
			List<?> reply = this.calls.script(script, ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS, keysAndArgs);
			return DeadBatchReply.of(reply);
		}
		catch (DataAccessException ex) {
			throw new JobQueueUnavailableException(queue, operation, ex);
		}
	}

}
