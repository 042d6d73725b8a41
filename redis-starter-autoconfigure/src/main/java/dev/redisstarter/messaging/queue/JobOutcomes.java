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
import dev.redisstarter.core.ScriptArgs;

/**
 * Writes what became of jobs, on a thread of its own so that handler threads never wait for Redis: completions
 * in batches (one {@code complete.lua} for up to 500), failures, back-offs and releases one script each. It also
 * marks jobs whose handler started ({@code start.lua}), all those started since the last write in one script, and
 * none whose outcome is written in the same pass (short jobs cost no extra round trip). An
 * outcome Redis did not take is tried again, in order, while the job stays held (its lease renewed), so nothing
 * is lost when Redis blinks; a job leaves {@code held} only once its outcome is recorded.
 */
final class JobOutcomes {

	private static final Log logger = LogFactory.getLog(JobOutcomes.class);

	private static final int BATCH = 500;

	/** How many refusals of one outcome before it is dropped (a refusal may also be a passing state of Redis). */
	private static final int MAX_REFUSALS = 3;

	/** Errors that say Redis cannot write now, not that it refuses this outcome. */
	private static final List<String> TRANSIENT_ERRORS = List.of("READONLY", "OOM", "MISCONF", "NOREPLICAS", "MASTERDOWN",
			"LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "Script killed", "NOSCRIPT", "MOVED", "ASK");

	/** What became of one job. */
	sealed interface Outcome permits Completed, Failed, BackedOff, Released, Started {

		String id();

		String owner();

	}

	record Completed(String id, String owner) implements Outcome {
	}

	/**
	 * A failed attempt.
	 * @param held whether the worker's open circuit holds the job: the attempt is not counted and the retry waits
	 * behind every other job, so that the next probe is another job (see fail.lua)
	 */
	record Failed(String id, String owner, long retryDelayMillis, String type, String message, String stack, boolean held)
			implements Outcome {
	}

	record BackedOff(String id, String owner, long pauseMillis) implements Outcome {
	}

	record Released(String id, String owner) implements Outcome {
	}

	/** Not an outcome: the job's handler started, so that a stall of this attempt counts (see stalled.lua). */
	record Started(String id, String owner) implements Outcome {
	}

	private final String queue;

	private final RedisCalls calls;

	private final QueueScripts scripts;

	private final byte[][] keys;

	private final QueueSettings settings;

	private final QueueMetrics.Meters meters;

	private final Map<String, HeldJob> held;

	private final DeadLetterTrims trims;

	private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

	private final List<Outcome> unwritten = new ArrayList<>();

	/** Outcomes queued or being written, as {@code id + '\n' + owner}. */
	private final java.util.Set<String> finishing = java.util.concurrent.ConcurrentHashMap.newKeySet();

	/** How many times in a row Redis refused the outcome at the head of the line. */
	private int refusals;

	/** How many outcomes to write one by one, after a batch of completions was refused. */
	private int oneByOne;

	JobOutcomes(String queue, RedisCalls calls, QueueScripts scripts, byte[][] keys, QueueSettings settings,
			QueueMetrics.Meters meters, Map<String, HeldJob> held, DeadLetterTrims trims) {
		this.queue = queue;
		this.calls = calls;
		this.scripts = scripts;
		this.keys = keys;
		this.settings = settings;
		this.meters = meters;
		this.held = held;
		this.trims = trims;
	}

	void add(Outcome outcome) {
		if (!(outcome instanceof Started)) {
			this.finishing.add(outcome.id() + "\n" + outcome.owner());
		}
		this.outcomes.add(outcome);
	}

	/**
	 * Whether a take's outcome for a job is on its way to Redis: a renewal that no longer finds the job there
	 * raced that write.
	 * @param id the job
	 * @param owner the take that holds it
	 * @return true while its outcome is queued or being written
	 */
	boolean isFinishing(String id, String owner) {
		return this.finishing.contains(id + "\n" + owner);
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
			markStarted(this.unwritten);
			write(this.unwritten);
			this.unwritten.clear();
			return true;
		}
		catch (RuntimeException ex) {
			logger.debug("Recording job outcomes of queue '" + this.queue + "' failed; trying again: " + ex);
			return false;
		}
	}

	/**
	 * Marks the jobs started whose outcome is not in the same pass (for those the outcome says it all), in one
	 * script per 500; the marks leave the list once written. A mark Redis refuses is dropped: it only decides whether
	 * a later stall of that attempt counts.
	 */
	private void markStarted(List<Outcome> batch) {
		if (batch.stream().noneMatch(Started.class::isInstance)) {
			return;
		}
		java.util.Set<String> ending = new java.util.HashSet<>();
		List<Outcome> marks = new ArrayList<>();
		for (Outcome outcome : batch) {
			if (!(outcome instanceof Started)) {
				ending.add(outcome.id() + "\n" + outcome.owner());
			}
		}
		for (Outcome outcome : batch) {
			if (outcome instanceof Started && !ending.contains(outcome.id() + "\n" + outcome.owner())) {
				marks.add(outcome);
			}
		}
		for (int from = 0; from < marks.size(); from += BATCH) {
			List<Outcome> chunk = marks.subList(from, Math.min(marks.size(), from + BATCH));
			byte[][] args = new byte[chunk.size() * 2][];
			int i = 0;
			for (Outcome mark : chunk) {
				args[i++] = ScriptArgs.utf8(mark.id());
				args[i++] = ScriptArgs.utf8(mark.owner());
			}
			try {
				this.calls.script(this.scripts.start(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
						QueueKeys.keysAndArgs(this.keys, args));
			}
			catch (RuntimeException ex) {
				if (!refused(ex)) {
					// Kept with the rest of the pass: written when Redis is back (written marks are idempotent).
					throw ex;
				}
				logger.debug("Redis refused start marks of queue '" + this.queue + "'; dropped: " + ex.getMessage());
			}
		}
		batch.removeIf(Started.class::isInstance);
	}

	/** Writes in order; what was written leaves the list, so that a failure keeps the rest for the next try. */
	private void write(List<Outcome> batch) {
		while (!batch.isEmpty()) {
			int run = 0;
			int most = (this.oneByOne > 0) ? 1 : BATCH;
			while (run < batch.size() && run < most && batch.get(run) instanceof Completed) {
				run++;
			}
			if (run > 1) {
				List<Outcome> completed = batch.subList(0, run);
				try {
					complete(completed);
					completed.forEach(this::forget);
					completed.clear();
					continue;
				}
				catch (RuntimeException ex) {
					if (!refused(ex)) {
						throw ex;
					}
					// One of them is refused: write these one by one, so that only that one can be dropped (a
					// script that failed halfway kept what it wrote; writing those again finds them done).
					this.oneByOne = run;
				}
			}
			Outcome head = batch.get(0);
			try {
				if (head instanceof Completed) {
					complete(List.of(head));
				}
				else {
					writeOne(head);
				}
				this.refusals = 0;
			}
			catch (RuntimeException ex) {
				if (!refused(ex) || ++this.refusals < MAX_REFUSALS) {
					throw ex;
				}
				this.refusals = 0;
				logger.error("Redis refused the outcome of job " + head.id() + " of queue '" + this.queue + "' "
						+ MAX_REFUSALS + " times; it is dropped, and the job comes back when its lease expires: "
						+ ex.getMessage());
			}
			if (this.oneByOne > 0) {
				this.oneByOne--;
			}
			forget(head);
			batch.remove(0);
		}
	}

	/**
	 * Whether Redis refused a script for what it holds (an error in the script on data it cannot use, a key of the
	 * wrong type): trying again may not help. Redis away, busy, loading, failing over (READONLY), out of memory or
	 * short of replicas is not a refusal: Redis 6.2 reports those inside a script as {@code ERR Error running
	 * script ... -READONLY ...}, so the message is searched, not only its prefix.
	 * @param ex what the call threw
	 * @return true for a refusal
	 */
	static boolean refused(RuntimeException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof io.lettuce.core.RedisCommandExecutionException rejected) {
				String message = String.valueOf(rejected.getMessage());
				for (String transientError : TRANSIENT_ERRORS) {
					if (message.contains(transientError)) {
						return false;
					}
				}
				return message.startsWith("ERR") || message.startsWith("WRONGTYPE");
			}
		}
		return false;
	}

	/** The job is no longer this attempt's to renew (a later attempt of the same job keeps its entry). */
	private void forget(Outcome outcome) {
		this.finishing.remove(outcome.id() + "\n" + outcome.owner());
		this.held.computeIfPresent(outcome.id(), (id, held) -> held.owner().equals(outcome.owner()) ? null : held);
	}

	private void complete(List<Outcome> completed) {
		byte[][] args = new byte[2 + completed.size() * 2][];
		args[0] = ScriptArgs.utf8(Long.toString(this.settings.completedMaxCount()));
		args[1] = ScriptArgs.utf8(Long.toString(this.settings.completedMaxAge().toMillis()));
		int i = 2;
		for (Outcome done : completed) {
			args[i++] = ScriptArgs.utf8(done.id());
			args[i++] = ScriptArgs.utf8(done.owner());
		}
		List<?> reply = this.calls.script(this.scripts.complete(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
				QueueKeys.keysAndArgs(this.keys, args));
		// Completed now, or by an earlier call for the same attempts whose reply was lost (this is its retry): each
		// counted once. A job whose lease was lost is not counted.
		long done = (reply != null && reply.size() == 2)
				? ((Number) reply.get(0)).longValue() + ((Number) reply.get(1)).longValue() : 0;
		this.meters.completed(done);
	}

	private void writeOne(Outcome outcome) {
		byte[] id = ScriptArgs.utf8(outcome.id());
		byte[] owner = ScriptArgs.utf8(outcome.owner());
		if (outcome instanceof Failed failed) {
			List<?> reply = this.calls.script(this.scripts.fail(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys, id, owner,
							ScriptArgs.utf8(Long.toString(failed.retryDelayMillis())), ScriptArgs.utf8(failed.type()),
							ScriptArgs.utf8(failed.message()), ScriptArgs.utf8(failed.stack()),
							ScriptArgs.utf8(Long.toString(this.settings.deadMaxCount())),
							ScriptArgs.utf8(Long.toString(this.settings.deadMaxAge().toMillis())),
							ScriptArgs.utf8(failed.held() ? "1" : "0")));
			FailReply failure = FailReply.of(reply);
			if (failure.result() == FailReply.RETRYING) {
				this.meters.retried();
			}
			else if (failure.result() == FailReply.DEAD) {
				this.meters.deadLettered(1);
				this.trims.trimmed(failure.trimmed());
			}
		}
		else if (outcome instanceof BackedOff backedOff) {
			this.calls.script(this.scripts.backOff(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys, ScriptArgs.utf8(Long.toString(Math.max(1, backedOff.pauseMillis()))),
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
