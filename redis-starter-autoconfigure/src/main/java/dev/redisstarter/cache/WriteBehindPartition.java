package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.Consumer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.models.stream.ClaimedMessages;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * Persists one partition of a write-behind cache while this instance holds its lease: one thread, one batch at a
 * time, so that the writes of a key reach the writer in order. On taking the lease it claims every entry pending in
 * the group (a crashed or stopped holder's), reads them again in order, then reads new ones. A batch is handed over
 * when it is full, when its oldest write waited {@code max-delay}, or at once while draining or recovering.
 *
 * <p>A batch keeps each key's last write only, and of those only the key's latest write not persisted yet (the
 * latest-write hash): an older one, redelivered after a crash or replayed from the dead letters after the key was
 * written again, is superseded and settled without reaching the writer.
 */
final class WriteBehindPartition implements Runnable {

	private static final Log logger = LogFactory.getLog(WriteBehind.class);

	private static final LuaScript<Long> LEASE = LuaScript.load("dev/redisstarter/cache/write-behind-lease.lua", Long.class);

	private static final LuaScript<Long> SETTLE = LuaScript.load("dev/redisstarter/cache/write-behind-settle.lua",
			Long.class);

	/** The streams' own scripts: dead letters here are listed and replayed as every stream's are. */
	@SuppressWarnings("rawtypes")
	private static final LuaScript<List> DEAD_LETTER = LuaScript.load("dev/redisstarter/stream/dead-letter.lua",
			List.class);

	private static final LuaScript<Long> REMOVE_CONSUMER = LuaScript
		.load("dev/redisstarter/stream/remove-idle-consumer.lua", Long.class);

	/** The most a pause between polls of an idle partition lasts. */
	private static final long IDLE_POLL_MILLIS = 100;

	private final String cache;

	private final int partition;

	private final WriteBehindPolicy policy;

	private final WriteBehindWriter<Object> writer;

	private final JavaType valueType;

	private final JsonMapper mapper;

	private final RedisCalls calls;

	private final CacheMetrics metrics;

	private final byte[] stream;

	private final byte[] deadLetters;

	private final byte[] latest;

	private final byte[] lease;

	private final byte[] group = utf8(WriteBehindKeys.GROUP);

	private final String consumer;

	private final byte[] holder;

	private final String name;

	private volatile boolean running = true;

	/** Set by a shutdown: hand over everything at once, and stop when nothing is left or at this time (nanos). */
	private volatile boolean draining;

	private volatile long drainDeadline;

	private volatile boolean drained;

	/** Whether this instance holds the lease; cleared by a renewal that finds another holder. */
	private volatile boolean owned;

	/** Where reading the entries pending for this consumer resumes; {@code null} once they are read (new ones then). */
	private @Nullable String cursor;

	private final List<WriteEntry> buffer = new ArrayList<>();

	private long bufferedSince;

	/** When other consumers' pending writes were last looked for (nanos). */
	private long sweptAt = System.nanoTime();

	@SuppressWarnings("unchecked")
	WriteBehindPartition(String cache, int partition, WriteBehindPolicy policy, WriteBehindWriter<?> writer,
			JsonMapper mapper, RedisCalls calls, WriteBehindKeys keys, String consumer, CacheMetrics metrics) {
		this.cache = cache;
		this.partition = partition;
		this.policy = policy;
		this.writer = (WriteBehindWriter<Object>) writer;
		this.mapper = mapper;
		this.valueType = mapper.getTypeFactory().constructType(writer.valueType());
		this.calls = calls;
		this.metrics = metrics;
		this.stream = utf8(keys.stream(cache, partition));
		this.deadLetters = utf8(keys.deadLetters(cache, partition));
		this.latest = utf8(keys.latest(cache, partition));
		this.lease = utf8(keys.lease(cache, partition));
		this.consumer = consumer;
		this.holder = utf8(consumer);
		this.name = WriteBehindKeys.streamName(cache, partition);
	}

	String name() {
		return this.name;
	}

	String cache() {
		return this.cache;
	}

	/** Ready to run (again): a stopped loop may be started anew. */
	void reset() {
		this.running = true;
		this.draining = false;
		this.drained = false;
	}

	@Override
	public void run() {
		while (this.running && !(this.draining && (this.drained || System.nanoTime() - this.drainDeadline > 0))) {
			try {
				step();
			}
			catch (RuntimeException ex) {
				// Redis away or restarting: what was read and not settled is pending here, and is read again in order.
				logger.debug("Write-behind of '" + this.name + "' failed, retrying: " + ex);
				this.buffer.clear();
				this.bufferedSince = 0;
				this.cursor = "0-0";
				pause(200);
			}
		}
		release();
	}

	/** Asks the loop to hand over what is pending now and to end once nothing is left, or at the deadline. */
	void drain(long deadlineNanos) {
		this.drainDeadline = deadlineNanos;
		this.draining = true;
	}

	/** Ends the loop at once: what is not settled stays pending for the next holder. */
	void stop() {
		this.running = false;
	}

	/** Renews the lease while held; a renewal that finds another holder ends this holding (the loop then starts over). */
	synchronized void renew() {
		if (this.owned && !leaseCall(this.policy.lease().toMillis())) {
			logger.warn("Write-behind of '" + this.name + "' lost its lease to another instance");
			this.owned = false;
		}
	}

	private void step() {
		if (!this.owned) {
			if (!leaseCall(this.policy.lease().toMillis())) {
				// Another instance persists this partition; while draining, this one has nothing to do here.
				this.drained = this.draining;
				pause(Math.min(1000, this.policy.lease().toMillis() / 5));
				return;
			}
			takeOver();
		}
		sweep();
		int room = this.policy.batchSize() - this.buffer.size();
		if (room > 0) {
			List<WriteEntry> read = read(room);
			if (this.cursor != null) {
				this.cursor = read.isEmpty() ? null : read.get(read.size() - 1).id();
			}
			if (!read.isEmpty() && this.buffer.isEmpty()) {
				this.bufferedSince = System.nanoTime();
			}
			this.buffer.addAll(read);
			if (read.isEmpty() && this.buffer.isEmpty()) {
				this.drained = this.draining;
				pause(Math.min(IDLE_POLL_MILLIS, this.policy.maxDelay().toMillis()));
				return;
			}
		}
		boolean due = this.buffer.size() >= this.policy.batchSize() || this.draining || this.cursor != null
				|| System.nanoTime() - this.bufferedSince >= this.policy.maxDelay().toNanos();
		if (!due) {
			pause(Math.min(IDLE_POLL_MILLIS, this.policy.maxDelay().toMillis() / 4 + 1));
			return;
		}
		List<WriteEntry> batch = List.copyOf(this.buffer);
		this.buffer.clear();
		this.bufferedSince = 0;
		flush(batch);
	}

	/** Takes the partition over: the group in place, and every entry pending in it (others' included) claimed. */
	private void takeOver() {
		try {
			this.calls.call((redis) -> redis.xgroupCreate(XReadArgs.StreamOffset.from(this.stream, "0-0"), this.group,
					XGroupCreateArgs.Builder.mkstream()));
		}
		catch (DataAccessException ex) {
			if (!String.valueOf(ex.getMessage()).contains("BUSYGROUP")
					&& !(ex.getCause() != null && String.valueOf(ex.getCause().getMessage()).contains("BUSYGROUP"))) {
				throw ex;
			}
		}
		claimPending(Duration.ZERO);
		Set<String> others = new LinkedHashSet<>();
		List<Object> consumers = this.calls.call((redis) -> redis.xinfoConsumers(this.stream, this.group));
		for (Object info : consumers) {
			if (info instanceof List<?> flat) {
				for (int i = 0; i + 1 < flat.size(); i += 2) {
					if ("name".equals(text(flat.get(i))) && !this.consumer.equals(text(flat.get(i + 1)))) {
						others.add(text(flat.get(i + 1)));
					}
				}
			}
		}
		// Earlier holders have nothing pending now: their names go, so that restarts do not pile up consumers.
		for (String other : others) {
			this.calls.script(REMOVE_CONSUMER, ScriptOutputType.INTEGER, 1, this.stream, this.group, utf8(other));
		}
		this.cursor = "0-0";
		this.buffer.clear();
		this.sweptAt = System.nanoTime();
		this.owned = true;
		logger.debug("Write-behind of '" + this.name + "' taken over by " + this.consumer);
	}

	/**
	 * Claims the entries pending for other consumers of the group, idle at least {@code minIdle}.
	 * @return how many were claimed
	 */
	private int claimPending(Duration minIdle) {
		String next = "0-0";
		int claimed = 0;
		do {
			String from = next;
			ClaimedMessages<byte[], byte[]> page = this.calls.call((redis) -> redis.xautoclaim(this.stream,
					XAutoClaimArgs.Builder.<byte[]>justid(Consumer.from(this.group, this.holder), minIdle, from)
						.count(1000)));
			claimed += page.getMessages().size();
			next = page.getId();
		}
		while (!"0-0".equals(next));
		return claimed;
	}

	/**
	 * Now and then, with nothing buffered: claims what an earlier holder read after this one took over (it read until
	 * its next renewal told it the lease was lost), so that nothing stays pending for a consumer that no longer reads.
	 * Those writes are older than what was read since; the latest-write check skips the superseded ones.
	 */
	private void sweep() {
		long now = System.nanoTime();
		if (!this.buffer.isEmpty() || this.cursor != null || now - this.sweptAt < this.policy.lease().toNanos()) {
			return;
		}
		this.sweptAt = now;
		List<Object> consumers = this.calls.call((redis) -> redis.xinfoConsumers(this.stream, this.group));
		if (consumers.size() > 1 && claimPending(this.policy.lease()) > 0) {
			this.cursor = "0-0";
		}
	}

	private List<WriteEntry> read(int count) {
		String from = this.cursor;
		XReadArgs.StreamOffset<byte[]> offset = (from != null) ? XReadArgs.StreamOffset.from(this.stream, from)
				: XReadArgs.StreamOffset.lastConsumed(this.stream);
		List<StreamMessage<byte[], byte[]>> messages = this.calls.call((redis) -> redis
			.xreadgroup(Consumer.from(this.group, this.holder), XReadArgs.Builder.count(count), offset));
		List<WriteEntry> entries = new ArrayList<>((messages != null) ? messages.size() : 0);
		if (messages != null) {
			for (StreamMessage<byte[], byte[]> message : messages) {
				entries.add(WriteEntry.of(message.getId(), message.getBody()));
			}
		}
		return entries;
	}

	/** Hands a batch to the writer (each key's last write, when it is the key's latest), and settles it. */
	private void flush(List<WriteEntry> batch) {
		Map<String, WriteEntry> last = new LinkedHashMap<>();
		List<String> settled = new ArrayList<>(batch.size());
		for (WriteEntry entry : batch) {
			if (entry.key() == null) {
				// Deleted under us, or not a write: nothing to persist.
				settled.add(entry.id());
			}
			else {
				last.put(entry.key(), entry);
			}
		}
		List<String> keys = List.copyOf(last.keySet());
		Map<String, WriteEntry> current = new LinkedHashMap<>();
		if (!keys.isEmpty()) {
			List<KeyValue<byte[], byte[]>> latestIds = this.calls
				.call((redis) -> redis.hmget(this.latest, keys.stream().map((key) -> utf8(key)).toArray(byte[][]::new)));
			for (int i = 0; i < keys.size(); i++) {
				WriteEntry entry = last.get(keys.get(i));
				KeyValue<byte[], byte[]> id = latestIds.get(i);
				if (id.hasValue() && new String(id.getValue(), StandardCharsets.UTF_8).equals(entry.originalId())) {
					current.put(entry.key(), entry);
				}
			}
		}
		int superseded = batch.size() - settled.size() - current.size();
		for (WriteEntry entry : batch) {
			if (entry.key() != null && current.get(entry.key()) != entry) {
				settled.add(entry.id());
			}
		}
		Map<String, Object> upserts = new LinkedHashMap<>();
		Set<String> deletes = new LinkedHashSet<>();
		for (WriteEntry entry : List.copyOf(current.values())) {
			if (entry.delete()) {
				deletes.add(entry.key());
				continue;
			}
			try {
				upserts.put(entry.key(), this.mapper.readValue(entry.payload(), this.valueType));
			}
			catch (RuntimeException ex) {
				current.remove(entry.key());
				deadLetter(entry, ex, "the value could not be read as " + this.valueType.toCanonical(), 0);
			}
		}
		if (current.isEmpty()) {
			settle(settled, Map.of());
		}
		else if (persist(upserts, deletes, current, settled)) {
			this.metrics.count(CacheMeter.WRITE_BEHIND, this.cache, "persisted", current.size());
		}
		this.metrics.count(CacheMeter.WRITE_BEHIND, this.cache, "superseded", superseded);
	}

	/**
	 * Calls the writer until it returns or the attempts are spent, then key by key, dead-lettering what still fails.
	 * @return true when the whole batch was persisted
	 */
	private boolean persist(Map<String, Object> upserts, Set<String> deletes, Map<String, WriteEntry> current,
			List<String> settled) {
		Exception last = null;
		for (int attempt = 1; attempt <= this.policy.maxAttempts(); attempt++) {
			try {
				this.writer.write(this.cache, upserts, deletes);
				List<String> ids = new ArrayList<>(settled);
				current.values().forEach((entry) -> ids.add(entry.id()));
				settle(ids, current);
				return true;
			}
			catch (Exception ex) {
				last = ex;
				if (!this.running || !this.owned) {
					// Stopping (the writer may have been interrupted), or another instance took over: left pending.
					throw new IllegalStateException("write-behind stopped or lost its lease during a batch", ex);
				}
				this.metrics.count(CacheMeter.WRITE_BEHIND, this.cache, "retried", 1);
				if (attempt < this.policy.maxAttempts()) {
					Duration delay = this.policy.backoff().delayAfter(attempt);
					logger.warn("Write-behind writer of '" + this.name + "' failed on a batch of " + current.size()
							+ " keys (attempt " + attempt + " of " + this.policy.maxAttempts() + "), retrying in "
							+ delay.toMillis() + " ms: " + ex);
					pause(delay.toMillis());
				}
			}
		}
		// The batch keeps failing: one key at a time, so that one bad key does not bury the others.
		settle(settled, Map.of());
		for (WriteEntry entry : current.values()) {
			try {
				if (entry.delete()) {
					this.writer.write(this.cache, Map.of(), Set.of(entry.key()));
				}
				else {
					this.writer.write(this.cache, Map.of(entry.key(), upserts.get(entry.key())), Set.of());
				}
				settle(List.of(entry.id()), Map.of(entry.key(), entry));
				this.metrics.count(CacheMeter.WRITE_BEHIND, this.cache, "persisted", 1);
			}
			catch (Exception ex) {
				if (!this.running || !this.owned) {
					throw new IllegalStateException("write-behind stopped or lost its lease during a batch", ex);
				}
				deadLetter(entry, ex, "failed on all " + this.policy.maxAttempts() + " attempts of its batch and alone",
						this.policy.maxAttempts() + 1);
			}
		}
		logger.warn("Write-behind writer of '" + this.name + "' kept failing on a batch; its keys were tried one by one",
				last);
		return false;
	}

	/** Acknowledges and deletes entries, and forgets the latest write of each key persisted. */
	private void settle(List<String> ids, Map<String, WriteEntry> persisted) {
		if (ids.isEmpty()) {
			return;
		}
		List<byte[]> args = new ArrayList<>(3 + 2 * persisted.size() + ids.size());
		args.add(this.stream);
		args.add(this.latest);
		args.add(this.group);
		args.add(utf8(Integer.toString(persisted.size())));
		persisted.forEach((key, entry) -> {
			args.add(utf8(key));
			args.add(utf8(entry.originalId()));
		});
		ids.forEach((id) -> args.add(utf8(id)));
		this.calls.script(SETTLE, ScriptOutputType.INTEGER, 2, args.toArray(byte[][]::new));
	}

	/**
	 * Moves a write to the partition's dead letters with its key and value, in the fields every stream's dead
	 * letters have, so that they list and replay alike. The key's latest-write record stays: a replay is then
	 * persisted unless the key was written again since.
	 */
	private void deadLetter(WriteEntry entry, Throwable error, String reason, long attempts) {
		List<byte[]> args = new ArrayList<>();
		args.add(this.stream);
		args.add(this.deadLetters);
		args.add(this.group);
		args.add(this.holder);
		args.add(utf8(entry.id()));
		args.add(utf8(Long.toString(this.policy.deadLetterMaxLength())));
		entry.fields().forEach((field, value) -> {
			args.add(utf8(field));
			args.add(value);
		});
		addField(args, "x-dead-id", entry.originalId());
		addField(args, "x-dead-stream", this.name);
		addField(args, "x-dead-group", WriteBehindKeys.GROUP);
		addField(args, "x-dead-deliveries", Long.toString(attempts));
		addField(args, "x-dead-error", error.getClass().getName());
		addField(args, "x-dead-message", reason + ": " + error.getMessage());
		this.calls.script(DEAD_LETTER, ScriptOutputType.MULTI, 2, args.toArray(byte[][]::new));
		this.calls.call((redis) -> redis.xdel(this.stream, entry.id()));
		this.metrics.count(CacheMeter.WRITE_BEHIND, this.cache, "dead-lettered", 1);
		logger.warn("Write-behind of '" + this.name + "' dead-lettered a write of " + dev.redisstarter.core.Masking
			.mask(entry.key()) + ": " + reason + ": " + error);
	}

	private static void addField(List<byte[]> args, String name, String value) {
		args.add(utf8(name));
		args.add(utf8(value));
	}

	private boolean leaseCall(long millis) {
		Long held = this.calls.script(LEASE, ScriptOutputType.INTEGER, 1, this.lease, this.holder,
				utf8(Long.toString(millis)));
		return held != null && held == 1L;
	}

	/** Gives the lease up; synchronized with {@link #renew()}, so that a renewal cannot take it back just after. */
	private synchronized void release() {
		if (this.owned) {
			this.owned = false;
			try {
				leaseCall(0);
			}
			catch (RuntimeException ex) {
				// It expires by itself.
			}
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(Math.max(1, millis));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String text(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	/**
	 * A write as read from the stream.
	 *
	 * @param id its entry id
	 * @param fields its fields as stored
	 */
	record WriteEntry(String id, Map<String, byte[]> fields) {

		static WriteEntry of(String id, @Nullable Map<byte[], byte[]> body) {
			Map<String, byte[]> fields = new LinkedHashMap<>();
			if (body != null) {
				body.forEach((name, value) -> fields.put(new String(name, StandardCharsets.UTF_8), value));
			}
			return new WriteEntry(id, fields);
		}

		@Nullable String key() {
			byte[] key = this.fields.get("key");
			return (key != null) ? new String(key, StandardCharsets.UTF_8) : null;
		}

		boolean delete() {
			byte[] op = this.fields.get("op");
			return op != null && "del".equals(new String(op, StandardCharsets.UTF_8));
		}

		byte[] payload() {
			byte[] payload = this.fields.get("payload");
			return (payload != null) ? payload : new byte[0];
		}

		/** The id the write first had: a replayed dead letter names it. */
		String originalId() {
			byte[] original = this.fields.get("x-replay-of");
			return (original != null) ? new String(original, StandardCharsets.UTF_8) : this.id;
		}

	}

}
