package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.RedisCalls;

/**
 * Writes what became of jobs, on a thread of its own so that handler threads never wait for Redis: completions
 * in batches (one {@code complete.lua} for up to 500), failures, back-offs and releases one script each. An
 * outcome Redis did not take is tried again, in order, while the job stays held (its lease renewed), so nothing
 * is lost when Redis blinks; a job leaves {@code held} only once its outcome is recorded.
 */
final class JobOutcomes {

	private static final Log logger = LogFactory.getLog(JobOutcomes.class);

	private static final int BATCH = 500;

	/** What became of one job. */
	sealed interface Outcome permits Completed, Failed, BackedOff, Released {

		String id();

		String owner();

	}

	record Completed(String id, String owner) implements Outcome {
	}

	record Failed(String id, String owner, long retryDelayMillis, String type, String message, String stack)
			implements Outcome {
	}

	record BackedOff(String id, String owner, long pauseMillis) implements Outcome {
	}

	record Released(String id, String owner) implements Outcome {
	}

	private final String queue;

	private final RedisCalls calls;

	private final QueueScripts scripts;

	private final byte[][] keys;

	private final QueueSettings settings;

	private final QueueMetrics.Meters meters;

	private final Map<String, HeldJob> held;

	private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

	private final List<Outcome> unwritten = new ArrayList<>();

	private final java.util.Set<String> finishing = java.util.concurrent.ConcurrentHashMap.newKeySet();

	JobOutcomes(String queue, RedisCalls calls, QueueScripts scripts, byte[][] keys, QueueSettings settings,
			QueueMetrics.Meters meters, Map<String, HeldJob> held) {
		this.queue = queue;
		this.calls = calls;
		this.scripts = scripts;
		this.keys = keys;
		this.settings = settings;
		this.meters = meters;
		this.held = held;
	}

	void add(Outcome outcome) {
		this.finishing.add(outcome.id());
		this.outcomes.add(outcome);
	}

	/**
	 * Whether a job's outcome is on its way to Redis: a renewal that no longer finds it there raced that write.
	 * @param id the job
	 * @return true while its outcome is queued or being written
	 */
	boolean isFinishing(String id) {
		return this.finishing.contains(id);
	}

	boolean isEmpty() {
		return this.outcomes.isEmpty() && this.unwritten.isEmpty();
	}

	/**
	 * Writes what is queued, waiting up to {@code wait} for the first outcome.
	 * @param wait how long to wait for something to write
	 * @return false when Redis did not take them (they are kept and tried again)
	 * @throws InterruptedException when interrupted while waiting
	 */
	boolean writeQueued(Duration wait) throws InterruptedException {
		if (this.unwritten.isEmpty()) {
			Outcome first = this.outcomes.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
			if (first == null) {
				return true;
			}
			this.unwritten.add(first);
		}
		this.outcomes.drainTo(this.unwritten, BATCH * 4);
		try {
			write(this.unwritten);
			this.unwritten.clear();
			return true;
		}
		catch (RuntimeException ex) {
			logger.debug("Recording job outcomes of queue '" + this.queue + "' failed; trying again: " + ex);
			return false;
		}
	}

	/** Writes in order; what was written leaves the list, so that a failure keeps the rest for the next try. */
	private void write(List<Outcome> batch) {
		while (!batch.isEmpty()) {
			int run = 0;
			while (run < batch.size() && run < BATCH && batch.get(run) instanceof Completed) {
				run++;
			}
			if (run > 0) {
				List<Outcome> completed = batch.subList(0, run);
				try {
					complete(completed);
				}
				catch (RuntimeException ex) {
					rejectedOrRethrow(completed, ex);
				}
				completed.forEach(this::forget);
				completed.clear();
				continue;
			}
			Outcome outcome = batch.get(0);
			try {
				writeOne(outcome);
			}
			catch (RuntimeException ex) {
				rejectedOrRethrow(List.of(outcome), ex);
			}
			forget(outcome);
			batch.remove(0);
		}
	}

	/**
	 * An outcome Redis refused (a script error on data it cannot use, a key of the wrong type) would be refused
	 * again forever and hold back every outcome behind it: it is dropped and logged, and its jobs, no longer
	 * renewed, come back when their lease expires. Anything else (Redis away, busy, failing over) is thrown, and
	 * the outcomes are tried again.
	 */
	private void rejectedOrRethrow(List<Outcome> outcomes, RuntimeException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof io.lettuce.core.RedisCommandExecutionException rejected) {
				String message = String.valueOf(rejected.getMessage());
				if (message.startsWith("ERR") || message.startsWith("WRONGTYPE")) {
					logger.error("Redis refused the outcome of " + outcomes.size() + " job(s) of queue '" + this.queue
							+ "' (first: job " + outcomes.get(0).id() + "); they are dropped and come back when their lease"
							+ " expires: " + message);
					return;
				}
				break;
			}
		}
		throw ex;
	}

	/** The job is no longer this attempt's to renew (a later attempt of the same job keeps its entry). */
	private void forget(Outcome outcome) {
		this.finishing.remove(outcome.id());
		this.held.computeIfPresent(outcome.id(), (id, held) -> held.owner().equals(outcome.owner()) ? null : held);
	}

	private void complete(List<Outcome> completed) {
		byte[][] args = new byte[2 + completed.size() * 2][];
		args[0] = RedisJobQueue.bytes(Long.toString(this.settings.completedMaxCount()));
		args[1] = RedisJobQueue.bytes(Long.toString(this.settings.completedMaxAge().toMillis()));
		int i = 2;
		for (Outcome done : completed) {
			args[i++] = RedisJobQueue.bytes(done.id());
			args[i++] = RedisJobQueue.bytes(done.owner());
		}
		Long done = this.calls.script(this.scripts.complete(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
				QueueKeys.keysAndArgs(this.keys, args));
		this.meters.completed((done != null) ? done : 0);
	}

	private void writeOne(Outcome outcome) {
		byte[] id = RedisJobQueue.bytes(outcome.id());
		byte[] owner = RedisJobQueue.bytes(outcome.owner());
		if (outcome instanceof Failed failed) {
			Long result = this.calls.script(this.scripts.fail(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys, id, owner,
							RedisJobQueue.bytes(Long.toString(failed.retryDelayMillis())), RedisJobQueue.bytes(failed.type()),
							RedisJobQueue.bytes(failed.message()), RedisJobQueue.bytes(failed.stack()),
							RedisJobQueue.bytes(Long.toString(this.settings.deadMaxCount())),
							RedisJobQueue.bytes(Long.toString(this.settings.deadMaxAge().toMillis()))));
			if (result != null && result == 1) {
				this.meters.retried();
			}
			else if (result != null && result == 2) {
				this.meters.deadLettered(1);
			}
		}
		else if (outcome instanceof BackedOff backedOff) {
			this.calls.script(this.scripts.backOff(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys, RedisJobQueue.bytes(Long.toString(Math.max(1, backedOff.pauseMillis()))),
							id, owner));
		}
		else {
			this.calls.script(this.scripts.release(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys, id, owner));
		}
	}

	/**
	 * A failure's stack trace for the dead letters: the first frames of the error and of each cause.
	 * @param error the error
	 * @return at most about 4000 characters
	 */
	static String trimmedStack(Throwable error) {
		StringBuilder text = new StringBuilder();
		Throwable current = error;
		for (int depth = 0; current != null && depth < 4; depth++) {
			if (depth > 0) {
				text.append("Caused by: ");
			}
			text.append(current).append('\n');
			StackTraceElement[] frames = current.getStackTrace();
			int shown = Math.min(frames.length, (depth == 0) ? 15 : 5);
			for (int i = 0; i < shown; i++) {
				text.append("\tat ").append(frames[i]).append('\n');
			}
			if (frames.length > shown) {
				text.append("\t... ").append(frames.length - shown).append(" more\n");
			}
			current = (current.getCause() != current) ? current.getCause() : null;
		}
		return (text.length() > 4000) ? text.substring(0, 4000) : text.toString();
	}

	static String message(@Nullable Throwable error) {
		String message = (error != null) ? error.getMessage() : null;
		return (message != null) ? ((message.length() > 1000) ? message.substring(0, 1000) : message) : "";
	}

}
