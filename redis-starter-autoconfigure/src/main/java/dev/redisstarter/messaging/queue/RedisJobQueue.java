package dev.redisstarter.messaging.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;

import io.lettuce.core.ScriptOutputType;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.messaging.observation.MessagingObservations;
import dev.redisstarter.core.InFlightLimit;
import dev.redisstarter.core.InputLimitExceededException;
import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * The {@link JobQueue} on Redis: one script per call ({@code enqueue.lua}, {@code job.lua}, {@code counts.lua},
 * {@code back-off.lua}) on the starter's connection, within the queue's deadline. The trace context of the
 * enqueue travels in the job's record.
 */
public final class RedisJobQueue implements JobQueue {

	/** Arguments of {@code enqueue.lua} per job. */
	static final int FIELDS_PER_JOB = 12;

	/** Where a job's payload and trace context are among its arguments. */
	private static final int PAYLOAD_FIELD = 3;

	private static final int TRACE_FIELD = 11;

	private static final byte[] EMPTY = new byte[0];

	/** Jobs per enqueue script: a large enqueueAll is pipelined in scripts of this many, none blocking Redis long. */
	private static final int JOBS_PER_SCRIPT = 1000;

	private static final long BYTES_PER_SCRIPT = 8L * 1024 * 1024;

	private final RedisCalls calls;

	private final QueueKeys keys;

	private final QueueScripts scripts;

	private final JsonCodec codec;

	private final JsonMapper mapper;

	private final QueueSettingsByName settings;

	private final QueueMetrics metrics;

	private final MessagingObservations observations;

	private final long maxPayloadBytes;

	private final UnhandledQueues unhandled;

	/**
	 * enqueue.lua's arguments of a job with default options, per queue: all but its payload and trace are the same
	 * for every such job, so they are encoded once (bounded like the coalescer's lanes).
	 */
	private final Map<String, byte[][]> defaultJobs = new ConcurrentHashMap<>();

	/** Single enqueues that overlap go to Redis together. */
	private final EnqueueCoalescer coalescer;

	/** Slots of enqueueAsync calls waiting for Redis. */
	private final InFlightLimit asyncInFlight;

	/** How many enqueueAsync calls may wait for Redis at once by default. */
	public static final int DEFAULT_MAX_ASYNC_IN_FLIGHT = 1000;

	/**
	 * A queue on the starter's connection.
	 * @param calls the starter's calls with the queue deadline
	 * @param keys the queue keys
	 * @param codec writes payloads
	 * @param mapper reads records
	 * @param settings the queues' settings
	 * @param metrics the meters
	 * @param observations where enqueue observations go
	 * @param maxPayloadBytes the largest payload (JSON bytes) a job may have
	 * @param unhandled watches the queues enqueued to for jobs no worker takes
	 */
	public RedisJobQueue(RedisCalls calls, QueueKeys keys, JsonCodec codec, JsonMapper mapper,
			QueueSettingsByName settings, QueueMetrics metrics, MessagingObservations observations, long maxPayloadBytes,
			UnhandledQueues unhandled) {
		this(calls, keys, codec, mapper, settings, metrics, observations, maxPayloadBytes, unhandled,
				DEFAULT_MAX_ASYNC_IN_FLIGHT);
	}

	/**
	 * A queue on the starter's connection.
	 * @param calls the starter's calls with the queue deadline
	 * @param keys the queue keys
	 * @param codec writes payloads
	 * @param mapper reads records
	 * @param settings the queues' settings
	 * @param metrics the meters
	 * @param observations where enqueue observations go
	 * @param maxPayloadBytes the largest payload (JSON bytes) a job may have
	 * @param unhandled watches the queues enqueued to for jobs no worker takes
	 * @param maxAsyncInFlight how many enqueueAsync calls may wait for Redis at once
	 */
	public RedisJobQueue(RedisCalls calls, QueueKeys keys, JsonCodec codec, JsonMapper mapper,
			QueueSettingsByName settings, QueueMetrics metrics, MessagingObservations observations, long maxPayloadBytes,
			UnhandledQueues unhandled, int maxAsyncInFlight) {
		this.asyncInFlight = new InFlightLimit(maxAsyncInFlight, "redis.starter.queue.max-async-in-flight");
		this.calls = calls;
		this.keys = keys;
		this.scripts = QueueScripts.load();
		this.codec = codec;
		this.mapper = mapper;
		this.settings = settings;
		this.metrics = metrics;
		this.observations = observations;
		this.maxPayloadBytes = maxPayloadBytes;
		this.unhandled = unhandled;
		this.coalescer = new EnqueueCoalescer(calls, this.scripts.enqueue(), keys, JOBS_PER_SCRIPT, BYTES_PER_SCRIPT);
	}

	@Override
	public String enqueue(String queue, Object payload, JobOptions options) {
		EnqueueStart start = start(queue, options);
		Observation observation = start.observation();
		try {
			byte[] json = encode(payload);
			byte[][] job = new byte[FIELDS_PER_JOB][];
			writeJob(job, 0, queue, json, options, start.settings(), start.traceJson());
			EnqueueReply enqueued = EnqueueReply.of(this.coalescer.enqueue(queue, job, json.length));
			this.metrics.of(queue).enqueued(enqueued.added() ? 1 : 0);
			this.unhandled.enqueued(queue);
			return enqueued.id();
		}
		catch (DataAccessException ex) {
			stop(observation, ex);
			observation = null;
			throw new JobQueueUnavailableException(queue, "enqueue", ex);
		}
		catch (RuntimeException ex) {
			stop(observation, ex);
			observation = null;
			throw ex;
		}
		finally {
			stop(observation, null);
		}
	}

	@Override
	public List<String> enqueueAll(String queue, List<?> payloads, JobOptions options) {
		if (options.jobId() != null || options.deduplicationKey() != null) {
			throw new IllegalArgumentException("enqueueAll cannot share a job id or a deduplication key between jobs;"
					+ " enqueue those one by one");
		}
		if (payloads.isEmpty()) {
			return List.of();
		}
		return add(queue, payloads, options);
	}

	private List<String> add(String queue, List<?> payloads, JobOptions options) {
		EnqueueStart start = start(queue, options);
		Observation observation = start.observation();
		try {
			List<byte[]> encoded = new ArrayList<>(payloads.size());
			for (Object payload : payloads) {
				encoded.add(encode(payload));
			}
			// Scripts of at most 1,000 jobs and about 8 MB each: none holds Redis long.
			List<byte[][]> scripts = new ArrayList<>();
			int from = 0;
			while (from < encoded.size()) {
				int to = from;
				long bytes = 0;
				while (to < encoded.size() && to - from < JOBS_PER_SCRIPT && (to == from || bytes < BYTES_PER_SCRIPT)) {
					bytes += encoded.get(to).length;
					to++;
				}
				scripts.add(enqueueArgs(queue, encoded.subList(from, to), options, start.settings(), start.traceJson()));
				from = to;
			}
			List<?> reply = new ArrayList<>();
			if (scripts.size() == 1) {
				reply = this.calls.script(this.scripts.enqueue(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
						scripts.get(0));
			}
			else {
				// Pipelined: one round trip for all of them (one node holds the queue).
				reply = this.calls.run((redis) -> {
					List<RedisCalls.PendingScript<List<?>>> pending = new ArrayList<>();
					for (byte[][] keysAndArgs : scripts) {
						pending.add(this.calls.startScript(redis, this.scripts.enqueue(), ScriptOutputType.MULTI,
								QueueKeys.SCRIPT_KEYS, keysAndArgs));
					}
					List<Object> all = new ArrayList<>();
					for (RedisCalls.PendingScript<List<?>> script : pending) {
						all.addAll(this.calls.awaitScript(redis, script, null));
					}
					return all;
				});
			}
			List<String> ids = new ArrayList<>(reply.size());
			long added = 0;
			for (Object entry : reply) {
				EnqueueReply enqueued = EnqueueReply.of(entry);
				ids.add(enqueued.id());
				added += enqueued.added() ? 1 : 0;
			}
			this.metrics.of(queue).enqueued(added);
			this.unhandled.enqueued(queue);
			return ids;
		}
		catch (DataAccessException ex) {
			stop(observation, ex);
			observation = null;
			throw new JobQueueUnavailableException(queue, "enqueue", ex);
		}
		catch (RuntimeException ex) {
			stop(observation, ex);
			observation = null;
			throw ex;
		}
		finally {
			stop(observation, null);
		}
	}

	@Override
	public CompletableFuture<String> enqueueAsync(String queue, Object payload, JobOptions options) {
		EnqueueStart start = start(queue, options);
		Observation observation = start.observation();
		byte[][] args;
		try {
			args = enqueueArgs(queue, List.of(encode(payload)), options, start.settings(), start.traceJson());
			try {
				this.asyncInFlight.enter(this.calls.deadline());
			}
			catch (DataAccessException ex) {
				throw new JobQueueUnavailableException(queue, "enqueue", ex);
			}
		}
		catch (JobQueueUnavailableException ex) {
			stop(observation, ex);
			return CompletableFuture.failedFuture(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			JobQueueUnavailableException interrupted = new JobQueueUnavailableException(queue, "enqueue", ex);
			stop(observation, interrupted);
			return CompletableFuture.failedFuture(interrupted);
		}
		catch (RuntimeException ex) {
			// Bad input: thrown at once, as enqueue throws it.
			stop(observation, ex);
			throw ex;
		}
		CompletableFuture<List<?>> reply;
		try {
			reply = this.calls.scriptAsync(this.scripts.enqueue(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS, args);
		}
		catch (RuntimeException ex) {
			// Not expected (failures come through the future), but the slot and the observation must not leak.
			this.asyncInFlight.leave();
			stop(observation, ex);
			throw ex;
		}
		return reply.handle((enqueued, failure) -> {
			this.asyncInFlight.leave();
			if (failure != null) {
				Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure;
				RuntimeException thrown = (cause instanceof DataAccessException)
						? new JobQueueUnavailableException(queue, "enqueue", cause)
						: (cause instanceof RuntimeException runtime) ? runtime : new CompletionException(cause);
				stop(observation, thrown);
				throw (thrown instanceof CompletionException completion) ? completion : new CompletionException(thrown);
			}
			EnqueueReply job;
			try {
				job = EnqueueReply.of(enqueued.get(0));
				this.metrics.of(queue).enqueued(job.added() ? 1 : 0);
				this.unhandled.enqueued(queue);
			}
			catch (RuntimeException ex) {
				stop(observation, ex);
				throw ex;
			}
			stop(observation, null);
			return job.id();
		});
	}

	/**
	 * What every enqueue starts with: the queue's name and options checked, its settings, its observation started and
	 * the trace context the jobs carry (JSON, empty without one).
	 */
	private EnqueueStart start(String queue, JobOptions options) {
		QueueKeys.requireName(queue);
		Objects.requireNonNull(options, "options");
		QueueSettings queueSettings = this.settings.of(queue);
		Map<String, String> trace = new LinkedHashMap<>();
		Observation observation = startObservation(queue, trace);
		try {
			return new EnqueueStart(queueSettings, observation,
					trace.isEmpty() ? "" : this.mapper.writeValueAsString(trace));
		}
		catch (RuntimeException ex) {
			stop(observation, ex);
			throw ex;
		}
	}

	/** An enqueue under way: the queue's settings, its observation (if observed) and the jobs' trace context. */
	private record EnqueueStart(QueueSettings settings, @Nullable Observation observation, String traceJson) {
	}

	private static void stop(@Nullable Observation observation, @Nullable Throwable error) {
		if (observation != null) {
			if (error != null) {
				observation.error(error);
			}
			observation.stop();
		}
	}

	private byte[] encode(@Nullable Object payload) {
		byte[] json = this.codec.encode(payload);
		if (json.length > this.maxPayloadBytes) {
			// Keep large data elsewhere and enqueue its reference. Input too large: 413 in Spring MVC, not a 500.
			throw new InputLimitExceededException("A job's payload", json.length, this.maxPayloadBytes, "bytes",
					"redis.starter.queue.max-payload-size");
		}
		return json;
	}

	private byte[][] enqueueArgs(String queue, List<byte[]> payloads, JobOptions options, QueueSettings queueSettings,
			String traceJson) {
		byte[][] scriptKeys = this.keys.scriptKeys(queue);
		byte[][] keysAndArgs = new byte[scriptKeys.length + 1 + payloads.size() * FIELDS_PER_JOB][];
		System.arraycopy(scriptKeys, 0, keysAndArgs, 0, scriptKeys.length);
		keysAndArgs[scriptKeys.length] = utf8(Integer.toString(payloads.size()));
		int i = scriptKeys.length + 1;
		for (byte[] json : payloads) {
			writeJob(keysAndArgs, i, queue, json, options, queueSettings, traceJson);
			i += FIELDS_PER_JOB;
		}
		return keysAndArgs;
	}

	/** Writes one job's {@value #FIELDS_PER_JOB} arguments of {@code enqueue.lua} from {@code from}. */
	private void writeJob(byte[][] keysAndArgs, int from, String queue, byte[] json, JobOptions options,
			QueueSettings queueSettings, String traceJson) {
		if (options != JobOptions.defaults()) {
			writeFields(keysAndArgs, from, json, options, queueSettings, traceJson);
			return;
		}
		byte[][] template = this.defaultJobs.get(queue);
		if (template == null) {
			template = new byte[FIELDS_PER_JOB][];
			writeFields(template, 0, EMPTY, options, queueSettings, "");
			if (this.defaultJobs.size() < EnqueueCoalescer.MAX_LANES) {
				this.defaultJobs.putIfAbsent(queue, template);
			}
		}
		System.arraycopy(template, 0, keysAndArgs, from, FIELDS_PER_JOB);
		keysAndArgs[from + PAYLOAD_FIELD] = json;
		if (!traceJson.isEmpty()) {
			keysAndArgs[from + TRACE_FIELD] = utf8(traceJson);
		}
	}

	private static void writeFields(byte[][] keysAndArgs, int from, byte[] json, JobOptions options,
			QueueSettings queueSettings, String traceJson) {
		int i = from;
		keysAndArgs[i++] = utf8(Objects.toString(options.jobId(), ""));
		keysAndArgs[i++] = utf8(Objects.toString(options.deduplicationKey(), ""));
		keysAndArgs[i++] = utf8(millis(options.deduplicationWindow(), 0));
		keysAndArgs[i++] = json;
		keysAndArgs[i++] = utf8(Integer.toString(options.priority()));
		keysAndArgs[i++] = utf8((options.delay() != null && options.delay().toMillis() > 0)
				? Long.toString(options.delay().toMillis()) : "-1");
		keysAndArgs[i++] = utf8((options.delay() == null && options.runAt() != null)
				? Long.toString(options.runAt().toEpochMilli()) : "-1");
		keysAndArgs[i++] = utf8(Integer.toString((options.attempts() != null) ? options.attempts()
				: queueSettings.attempts()));
		keysAndArgs[i++] = utf8(JobRecords.encode((options.backoff() != null) ? options.backoff() : queueSettings.backoff()));
		Duration timeout = (options.attemptTimeout() != null) ? options.attemptTimeout()
				: queueSettings.attemptTimeout();
		keysAndArgs[i++] = utf8(millis(timeout, 0));
		keysAndArgs[i++] = utf8(millis(options.retention(), 0));
		keysAndArgs[i++] = utf8(traceJson);
	}

	private @Nullable Observation startObservation(String queue, Map<String, String> trace) {
		return this.observations.enqueue(queue, trace);
	}

	@Override
	public Optional<JobInfo> job(String queue, String jobId) {
		QueueKeys.requireName(queue);
		JobOptions.requireId("job id", Objects.requireNonNull(jobId, "jobId must not be null"));
		try {
			List<?> reply = this.calls.script(this.scripts.job(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys.scriptKeys(queue), utf8(jobId)));
			return Optional.ofNullable(JobRecords.read(this.mapper, queue, jobId, (List<?>) reply.get(0)));
		}
		catch (DataAccessException ex) {
			throw new JobQueueUnavailableException(queue, "read a job", ex);
		}
	}

	@Override
	public JobList jobs(String queue, JobState state, int count, int previewChars) {
		QueueKeys.requireName(queue);
		Objects.requireNonNull(state, "state must not be null");
		if (count < 1 || count > 1_000 || previewChars < 1) {
			throw new IllegalArgumentException("count must be 1 to 1,000 and previewChars positive, were " + count
					+ " and " + previewChars);
		}
		boolean recentFirst = state == JobState.COMPLETED || state == JobState.DEAD;
		// A character is at most 4 bytes in UTF-8: the bytes kept always hold previewChars whole characters.
		long keepBytes = Math.min(Integer.MAX_VALUE, 4L * previewChars + 4);
		try {
			List<?> reply = this.calls.script(this.scripts.jobsList(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys.scriptKeys(queue), utf8(QueueKeys.setOf(state)),
							utf8(recentFirst ? "1" : "0"), utf8(Integer.toString(count)), utf8(Long.toString(keepBytes))));
			List<JobInfo> jobs = new ArrayList<>(reply.size() - 1);
			for (Object entry : reply.subList(1, reply.size())) {
				List<?> pair = (List<?>) entry;
				JobInfo job = JobRecords.read(this.mapper, queue, JobRecords.text(pair.get(0)), (List<?>) pair.get(1));
				if (job != null) {
					jobs.add(job.cut(previewChars));
				}
			}
			return new JobList(queue, state, ((Number) reply.get(0)).longValue(), jobs);
		}
		catch (DataAccessException ex) {
			throw new JobQueueUnavailableException(queue, "list jobs", ex);
		}
	}

	@Override
	public List<WorkerCheckIn> workers(String queue, int max) {
		QueueKeys.requireName(queue);
		if (max < 1) {
			throw new IllegalArgumentException("max must be positive, was " + max);
		}
		try {
			List<?> reply = this.calls.script(this.scripts.workers(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys.scriptKeys(queue), utf8(Integer.toString(max))));
			return WorkerCheckIns.read(this.mapper, reply);
		}
		catch (DataAccessException ex) {
			throw new JobQueueUnavailableException(queue, "list workers", ex);
		}
	}

	@Override
	public QueueCounts counts(String queue) {
		QueueKeys.requireName(queue);
		try {
			List<?> reply = this.calls.script(this.scripts.counts(), ScriptOutputType.MULTI, QueueKeys.SCRIPT_KEYS,
					this.keys.scriptKeys(queue));
			return QueueCounts.of(queue, reply);
		}
		catch (DataAccessException ex) {
			throw new JobQueueUnavailableException(queue, "count jobs", ex);
		}
	}

	@Override
	public void pause(String queue, Duration pause) {
		QueueKeys.requireName(queue);
		try {
			this.calls.script(this.scripts.backOff(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys.scriptKeys(queue), utf8(Long.toString(Math.max(1, pause.toMillis()))),
							utf8(""), utf8("")));
		}
		catch (DataAccessException ex) {
			throw new JobQueueUnavailableException(queue, "pause", ex);
		}
	}

	@Override
	public boolean promote(String queue, String jobId) {
		QueueKeys.requireName(queue);
		JobOptions.requireId("job id", Objects.requireNonNull(jobId, "jobId must not be null"));
		try {
			Long promoted = this.calls.script(this.scripts.promote(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
					QueueKeys.keysAndArgs(this.keys.scriptKeys(queue), utf8(jobId)));
			return promoted != null && promoted == 1;
		}
		catch (DataAccessException ex) {
			throw new JobQueueUnavailableException(queue, "promote a delayed job", ex);
		}
	}

	@Override
	public Duration resume(String queue) {
		QueueKeys.requireName(queue);
		try {
			Long left = this.calls.script(this.scripts.resume(), ScriptOutputType.INTEGER, QueueKeys.SCRIPT_KEYS,
					this.keys.scriptKeys(queue));
			return Duration.ofMillis((left != null) ? left : 0);
		}
		catch (DataAccessException ex) {
			throw new JobQueueUnavailableException(queue, "resume", ex);
		}
	}

	private static String millis(@Nullable Duration duration, long fallback) {
		return Long.toString((duration != null) ? duration.toMillis() : fallback);
	}

}
