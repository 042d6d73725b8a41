package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;

import dev.redisstarter.core.DeadLetterReplay;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.core.StarterThreads;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * Persists the writes of write-behind caches through their {@link WriteBehindWriter}s. Each partition of each cache
 * ({@link WriteBehindKeys}) is persisted by one instance at a time, the holder of its lease: several instances share
 * the partitions, and when one crashes another takes its partitions over once their leases end and claims what it
 * had pending. {@link #start()} starts a thread per partition; {@link #stop()} drains: what is pending is handed to the
 * writer at once, within each cache's {@code drain-timeout}, and the leases are given up.
 *
 * <p>Writes that keep failing end in each partition's dead letters ({@code <prefix>stream:{<cache>.write-behind.<n>}:dead},
 * the layout of every stream's), with the key and the value: {@link #deadLetters}, {@link #replay}, {@link #purge}.
 */
public final class WriteBehind implements SmartLifecycle, AutoCloseable {

	private static final LuaScript<byte[]> REPLAY = LuaScript.load("dev/redisstarter/stream/replay.lua", byte[].class);

	private static final LuaScript<Long> PURGE = LuaScript.load("dev/redisstarter/cache/write-behind-purge.lua", Long.class);

	/** A whole stream id: without its sequence, Redis would read a range of ids (and delete another than it replays). */
	private static final Pattern STREAM_ID = Pattern.compile("(\\d{1,20})-(\\d{1,20})");

	/** Dead letters read per call while replaying all of a partition's. */
	private static final int REPLAY_PAGE = 100;

	private final RedisCalls calls;

	private final WriteBehindKeys keys;

	private final List<WriteBehindPartition> partitions = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private @Nullable ScheduledExecutorService renewals;

	private volatile boolean running;

	/**
	 * Write-behind for the caches that have a writer.
	 * @param calls the Redis calls (each bounded by their deadline; batches of reads and acknowledgements use them)
	 * @param naming the application's key naming
	 * @param mapper reads the values as the writers' types
	 * @param settings which caches are write-behind
	 * @param writers the writer of each cache to persist here; caches without one are persisted elsewhere
	 * @param instanceId names this instance's consumers
	 * @param metrics counts persisted, superseded, retried and dead-lettered writes
	 */
	public WriteBehind(RedisCalls calls, KeyNaming naming, JsonMapper mapper, WriteBehindSettings settings,
			Map<String, ? extends WriteBehindWriter<?>> writers, String instanceId, CacheMetrics metrics) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.keys = new WriteBehindKeys(naming, settings);
		String consumer = instanceId + "-" + UUID.randomUUID().toString().substring(0, 8);
		writers.forEach((cache, writer) -> {
			WriteBehindPolicy policy = settings.policy(cache);
			if (policy == null) {
				throw new IllegalArgumentException("Cache '" + cache + "' has a writer but is not write-behind");
			}
			for (int partition = 0; partition < policy.partitions(); partition++) {
				this.partitions.add(new WriteBehindPartition(cache, partition, policy, writer, mapper, calls, this.keys,
						consumer, metrics));
			}
		});
	}

	/** Starts persisting: one thread per partition, and the renewal of the leases held. */
	@Override
	public synchronized void start() {
		if (this.running || this.partitions.isEmpty()) {
			return;
		}
		this.running = true;
		ScheduledExecutorService scheduler = StarterThreads.backgroundScheduler("write-behind-leases");
		this.renewals = scheduler;
		long shortest = this.keys.settings().caches().values().stream().mapToLong((p) -> p.lease().toMillis()).min()
			.orElse(10_000);
		scheduler.scheduleWithFixedDelay(this::renewAll, shortest / 3, shortest / 3, TimeUnit.MILLISECONDS);
		for (WriteBehindPartition partition : this.partitions) {
			partition.reset();
			Thread thread = StarterThreads.background("write-behind-" + partition.name(), partition);
			this.threads.add(thread);
			thread.start();
		}
	}

	private void renewAll() {
		for (WriteBehindPartition partition : this.partitions) {
			try {
				partition.renew();
			}
			catch (RuntimeException ex) {
				// Redis away: the next renewal tries again while the lease lasts.
			}
		}
	}

	/**
	 * Drains and stops: every partition held (or free) hands what is pending to the writer at once; each stops when
	 * nothing is left or at its cache's {@code drain-timeout}, whatever is left then stays pending for the next holder.
	 */
	@Override
	public void stop() {
		List<Thread> stopping;
		synchronized (this) {
			if (!this.running) {
				return;
			}
			this.running = false;
			stopping = List.copyOf(this.threads);
			this.threads.clear();
		}
		long longest = 0;
		long now = System.nanoTime();
		for (WriteBehindPartition partition : this.partitions) {
			long timeout = this.keys.settings().policy(partition.cache()).drainTimeout().toNanos();
			longest = Math.max(longest, timeout);
			partition.drain(now + timeout);
		}
		long deadline = now + longest + TimeUnit.SECONDS.toNanos(1);
		for (Thread thread : stopping) {
			join(thread, deadline);
		}
		this.partitions.forEach(WriteBehindPartition::stop);
		for (Thread thread : stopping) {
			thread.interrupt();
			join(thread, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
		}
		ScheduledExecutorService scheduler = this.renewals;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
	}

	/**
	 * Whether the partitions are being persisted here.
	 * @return true between start and stop
	 */
	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops late: after the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}) and the web server
	 * ({@code DEFAULT_PHASE - 2048}), and the starter's consumers (default phase), so that the writes of requests and
	 * messages still running are drained too; before the connection factory (phase 0).
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return PHASE;
	}

	/** {@link #getPhase()}. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	@Override
	public void close() {
		stop();
	}

	/**
	 * The write-behind caches, whether or not this instance persists them.
	 * @return their names, sorted
	 */
	public SortedSet<String> caches() {
		return new TreeSet<>(this.keys.settings().caches().keySet());
	}

	/**
	 * How many dead letters a cache has (in every partition).
	 * @param cache the cache's name
	 * @return the count
	 */
	public long deadLetterCount(String cache) {
		return totalLength(cache, (partition) -> this.keys.deadLetters(cache, partition));
	}

	/**
	 * How many writes of a cache are not persisted yet (in every partition, whichever instance persists it).
	 * @param cache the cache's name
	 * @return the count
	 */
	public long backlog(String cache) {
		return totalLength(cache, (partition) -> this.keys.stream(cache, partition));
	}

	/** The entries of one stream per partition of a cache, added up (one call per partition: each its own slot). */
	private long totalLength(String cache, IntFunction<String> streamOf) {
		WriteBehindPolicy policy = policy(cache);
		long total = 0;
		for (int partition = 0; partition < policy.partitions(); partition++) {
			byte[] stream = utf8(streamOf.apply(partition));
			Long length = this.calls.call((redis) -> redis.xlen(stream));
			total += (length != null) ? length : 0;
		}
		return total;
	}

	/**
	 * The oldest dead letters of a cache, partition by partition.
	 * @param cache the cache's name
	 * @param limit at most this many
	 * @return the dead letters
	 */
	public List<WriteBehindDeadLetter> deadLetters(String cache, int limit) {
		WriteBehindPolicy policy = policy(cache);
		List<WriteBehindDeadLetter> letters = new ArrayList<>();
		for (int partition = 0; partition < policy.partitions() && letters.size() < limit; partition++) {
			byte[] dead = utf8(this.keys.deadLetters(cache, partition));
			int wanted = limit - letters.size();
			List<StreamMessage<byte[], byte[]>> found = this.calls
				.call((redis) -> redis.xrange(dead, Range.create("-", "+"), Limit.from(wanted)));
			for (StreamMessage<byte[], byte[]> message : found) {
				letters.add(letter(cache, partition, message));
			}
		}
		return letters;
	}

	/**
	 * Puts a dead letter back into its partition as a new write of its key with its value, and removes it from the
	 * dead letters, atomically. It is persisted unless its key was written again since it was dead-lettered (the later
	 * write wins).
	 * @param letter the dead letter
	 * @return true when it was replayed, false when it was not there any more
	 */
	public boolean replay(WriteBehindDeadLetter letter) {
		return replay(letter.cache(), letter.partition(), letter.id());
	}

	/**
	 * Replays a dead letter known by its place (see {@link #replay(WriteBehindDeadLetter)}).
	 * @param cache the cache's name
	 * @param partition the dead letter's partition
	 * @param id the dead letter's id
	 * @return true when it was replayed, false when it was not there (any more)
	 */
	public boolean replay(String cache, int partition, String id) {
		WriteBehindPolicy policy = policy(cache);
		if (partition < 0 || partition >= policy.partitions()) {
			throw new IllegalArgumentException("Cache '" + cache + "' has partitions 0 to " + (policy.partitions() - 1)
					+ ", not " + partition);
		}
		if (!isStreamId(id)) {
			throw new IllegalArgumentException("Not a dead letter's id: '" + id + "' (ids look like 1700000000000-0)");
		}
		byte[] replayed = this.calls.script(REPLAY, ScriptOutputType.VALUE, 2,
				utf8(this.keys.deadLetters(cache, partition)), utf8(this.keys.stream(cache, partition)), utf8(id),
				utf8("0"), utf8("0"));
		return replayed != null;
	}

	/**
	 * Replays every dead letter a cache has now (see {@link #replay}).
	 * @param cache the cache's name
	 * @return how many were replayed
	 */
	public int replayAll(String cache) {
		WriteBehindPolicy policy = policy(cache);
		int replayed = 0;
		for (int partition = 0; partition < policy.partitions(); partition++) {
			replayed += replayAll(cache, partition);
		}
		return replayed;
	}

	/**
	 * Replays the dead letters a partition has when the call starts, each once: those dead-lettered again meanwhile
	 * (a writer still failing, a value still unreadable) come after the last one and are left for the next call,
	 * or the loop would go on for as long as the writer fails.
	 */
	private int replayAll(String cache, int partition) {
		return DeadLetterReplay.replayThoseThereNow(this.calls, utf8(this.keys.deadLetters(cache, partition)),
				REPLAY_PAGE, (id) -> replay(cache, partition, id));
	}

	/**
	 * Deletes every dead letter of a cache.
	 * @param cache the cache's name
	 * @return how many there were
	 */
	public long purge(String cache) {
		WriteBehindPolicy policy = policy(cache);
		long purged = 0;
		for (int partition = 0; partition < policy.partitions(); partition++) {
			byte[] dead = utf8(this.keys.deadLetters(cache, partition));
			byte[] latest = utf8(this.keys.latest(cache, partition));
			Long deleted;
			do {
				// In pages, each with the latest-write records of its keys, so that none is left behind for good.
				deleted = this.calls.script(PURGE, ScriptOutputType.INTEGER, 2, dead, latest, utf8("500"));
				purged += (deleted != null) ? deleted : 0;
			}
			while (deleted != null && deleted > 0);
		}
		return purged;
	}

	private static boolean isStreamId(String id) {
		Matcher matcher = STREAM_ID.matcher(id);
		if (!matcher.matches()) {
			return false;
		}
		try {
			// Each part an unsigned 64-bit number, or Redis refuses it (an error, not a 400).
			Long.parseUnsignedLong(matcher.group(1));
			Long.parseUnsignedLong(matcher.group(2));
			return true;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	private WriteBehindPolicy policy(String cache) {
		WriteBehindPolicy policy = this.keys.settings().policy(cache);
		if (policy == null) {
			throw new IllegalArgumentException("Cache '" + cache + "' is not write-behind");
		}
		return policy;
	}

	private static WriteBehindDeadLetter letter(String cache, int partition, StreamMessage<byte[], byte[]> message) {
		Map<String, String> fields = new LinkedHashMap<>();
		message.getBody().forEach((name, value) -> fields.put(new String(name, StandardCharsets.UTF_8),
				new String(value, StandardCharsets.UTF_8)));
		String at = fields.get("x-dead-at");
		String payload = fields.get("payload");
		boolean delete = "del".equals(fields.get("op"));
		return new WriteBehindDeadLetter(cache, partition, message.getId(), fields.getOrDefault("key", ""),
				delete ? WriteBehindDeadLetter.Operation.DELETE : WriteBehindDeadLetter.Operation.SET,
				(delete || payload == null) ? null : payload, fields.getOrDefault("x-dead-error", ""),
				fields.getOrDefault("x-dead-message", ""), number(fields.get("x-dead-deliveries")),
				(at != null) ? Instant.ofEpochMilli(number(at)) : null);
	}

	private static long number(@Nullable String text) {
		try {
			return (text != null) ? Long.parseLong(text) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static void join(Thread thread, long deadlineNanos) {
		long left = deadlineNanos - System.nanoTime();
		if (left <= 0) {
			return;
		}
		try {
			thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
