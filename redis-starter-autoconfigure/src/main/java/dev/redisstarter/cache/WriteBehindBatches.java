package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.Masking;
import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * Hands the batches of one write-behind partition to its writer and settles them. A batch keeps of each key only its
 * latest write not persisted yet (the latest-write hash), wherever it is in the batch: an older one, redelivered
 * after a crash or replayed from the dead letters after the key was written again, is superseded and settled without
 * reaching the writer. A failing batch is retried with back-off, then key by key; what still fails is dead-lettered
 * with its key and value.
 */
final class WriteBehindBatches {

	private static final Log logger = LogFactory.getLog(WriteBehind.class);

	private static final LuaScript<Long> SETTLE = LuaScript.load("dev/redisstarter/cache/write-behind-settle.lua",
			Long.class);

	/** The streams' own script: dead letters here are listed and replayed as every stream's are. */
	@SuppressWarnings("rawtypes")
	private static final LuaScript<List> DEAD_LETTER = LuaScript.load("dev/redisstarter/stream/dead-letter.lua",
			List.class);

	private final String cache;

	private final String name;

	private final WriteBehindPolicy policy;

	private final WriteBehindWriter<Object> writer;

	private final JavaType valueType;

	private final JsonMapper mapper;

	private final RedisCalls calls;

	private final CacheMetrics metrics;

	private final byte[] stream;

	private final byte[] deadLetters;

	private final byte[] latest;

	private final byte[] group = utf8(WriteBehindKeys.GROUP);

	private final byte[] holder;

	/** Whether the partition is still this instance's to persist: running, and its lease held. */
	private final BooleanSupplier active;

	@SuppressWarnings("unchecked")
	WriteBehindBatches(String cache, int partition, WriteBehindPolicy policy, WriteBehindWriter<?> writer,
			JsonMapper mapper, RedisCalls calls, WriteBehindKeys keys, String consumer, CacheMetrics metrics,
			BooleanSupplier active) {
		this.cache = cache;
		this.name = WriteBehindKeys.streamName(cache, partition);
		this.policy = policy;
		this.writer = (WriteBehindWriter<Object>) writer;
		this.mapper = mapper;
		this.valueType = mapper.getTypeFactory().constructType(writer.valueType());
		this.calls = calls;
		this.metrics = metrics;
		this.stream = utf8(keys.stream(cache, partition));
		this.deadLetters = utf8(keys.deadLetters(cache, partition));
		this.latest = utf8(keys.latest(cache, partition));
		this.holder = utf8(consumer);
		this.active = active;
	}

	/** Hands a batch to the writer (each key's latest write, when the batch has it), and settles it. */
	void flush(List<WriteBehindEntry> batch) {
		Map<String, List<WriteBehindEntry>> byKey = new LinkedHashMap<>();
		List<String> settled = new ArrayList<>(batch.size());
		for (WriteBehindEntry entry : batch) {
			if (entry.key() == null) {
				// Deleted under us, or not a write: nothing to persist.
				settled.add(entry.id());
			}
			else {
				byKey.computeIfAbsent(entry.key(), (key) -> new ArrayList<>()).add(entry);
			}
		}
		List<String> keys = List.copyOf(byKey.keySet());
		Map<String, WriteBehindEntry> current = new LinkedHashMap<>();
		if (!keys.isEmpty()) {
			List<KeyValue<byte[], byte[]>> latestIds = this.calls
				.call((redis) -> redis.hmget(this.latest, keys.stream().map((key) -> utf8(key)).toArray(byte[][]::new)));
			for (int i = 0; i < keys.size(); i++) {
				KeyValue<byte[], byte[]> id = latestIds.get(i);
				if (!id.hasValue()) {
					continue;
				}
				String latestId = new String(id.getValue(), StandardCharsets.UTF_8);
				// The key's latest write, wherever it is in the batch: not the batch's last entry of the key, which
				// can be an older write replayed from the dead letters after it (both would be skipped otherwise,
				// and the later write never persisted).
				List<WriteBehindEntry> entries = byKey.get(keys.get(i));
				for (int j = entries.size() - 1; j >= 0; j--) {
					if (latestId.equals(entries.get(j).originalId())) {
						current.put(keys.get(i), entries.get(j));
						break;
					}
				}
			}
		}
		int superseded = batch.size() - settled.size() - current.size();
		for (WriteBehindEntry entry : batch) {
			if (entry.key() != null && current.get(entry.key()) != entry) {
				settled.add(entry.id());
			}
		}
		Map<String, Object> upserts = new LinkedHashMap<>();
		Set<String> deletes = new LinkedHashSet<>();
		for (WriteBehindEntry entry : List.copyOf(current.values())) {
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
	 * Keys that failed alone in a row, across batches, with nothing persisted in between: at
	 * {@link #OUTAGE_KEYS} the writer's store is taken to be down rather than the keys bad.
	 */
	private int failedAlone;

	/**
	 * Calls the writer until it returns or the attempts are spent, then key by key, dead-lettering what still fails;
	 * unless no key goes through alone and {@link #OUTAGE_KEYS} keys in a row have failed so: the store is down, and
	 * the batch stays pending for the next round ({@link WriterOutage}) rather than every write becoming a dead letter.
	 * @return true when the whole batch was persisted
	 */
	private boolean persist(Map<String, Object> upserts, Set<String> deletes, Map<String, WriteBehindEntry> current,
			List<String> settled) {
		Exception last = null;
		for (int attempt = 1; attempt <= this.policy.maxAttempts(); attempt++) {
			try {
				this.writer.write(this.cache, upserts, deletes);
				this.failedAlone = 0;
				List<String> ids = new ArrayList<>(settled);
				current.values().forEach((entry) -> ids.add(entry.id()));
				settle(ids, current);
				return true;
			}
			catch (Exception ex) {
				last = ex;
				if (!this.active.getAsBoolean()) {
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
		if (this.failedAlone >= OUTAGE_KEYS) {
			// Still down: no key-by-key round (a write per key against a store that refuses everything).
			throw new WriterOutage(this.name, last);
		}
		// The batch keeps failing: one key at a time, so that one bad key does not bury the others.
		settle(settled, Map.of());
		Map<WriteBehindEntry, Exception> failed = new LinkedHashMap<>();
		boolean anyPersisted = false;
		for (WriteBehindEntry entry : current.values()) {
			try {
				if (entry.delete()) {
					this.writer.write(this.cache, Map.of(), Set.of(entry.key()));
				}
				else {
					this.writer.write(this.cache, Map.of(entry.key(), upserts.get(entry.key())), Set.of());
				}
				settle(List.of(entry.id()), Map.of(entry.key(), entry));
				this.metrics.count(CacheMeter.WRITE_BEHIND, this.cache, "persisted", 1);
				anyPersisted = true;
			}
			catch (Exception ex) {
				if (!this.active.getAsBoolean()) {
					throw new IllegalStateException("write-behind stopped or lost its lease during a batch", ex);
				}
				failed.put(entry, ex);
			}
		}
		this.failedAlone = anyPersisted ? 0 : this.failedAlone + failed.size();
		if (!anyPersisted && this.failedAlone >= OUTAGE_KEYS) {
			throw new WriterOutage(this.name, last);
		}
		failed.forEach((entry, ex) -> deadLetter(entry, ex, "failed on all " + this.policy.maxAttempts()
				+ " attempts of its batch and alone", this.policy.maxAttempts() + 1));
		logger.warn("Write-behind writer of '" + this.name + "' kept failing on a batch; its keys were tried one by one",
				last);
		return false;
	}

	/** How many keys failing alone in a row, with nothing persisted, mean the writer's store is down. */
	static final int OUTAGE_KEYS = 3;

	/**
	 * The writer refuses every key: its store is taken to be down. Everything read stays pending and is handed to the
	 * writer again after the back-off's maximum, in order, until it goes through; nothing is dead-lettered meanwhile.
	 */
	static final class WriterOutage extends RuntimeException {

		WriterOutage(String partition, @Nullable Exception cause) {
			super("Write-behind writer of '" + partition + "' refuses every key: its store looks down; the writes wait"
					+ " and are tried again", cause);
		}

	}

	/** Acknowledges and deletes entries, and forgets the latest write of each key persisted. */
	private void settle(List<String> ids, Map<String, WriteBehindEntry> persisted) {
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
	private void deadLetter(WriteBehindEntry entry, Throwable error, String reason, long attempts) {
		List<byte[]> args = new ArrayList<>();
		args.add(this.stream);
		args.add(this.deadLetters);
		args.add(this.group);
		args.add(this.holder);
		args.add(utf8(entry.id()));
		args.add(utf8(Long.toString(this.policy.deadLetterMaxLength())));
		// Deleted from the stream in the same step: a crash in between would leave it counted in the backlog.
		args.add(utf8("1"));
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
		List<?> reply = this.calls.script(DEAD_LETTER, ScriptOutputType.MULTI, 2, args.toArray(byte[][]::new));
		if (reply == null || reply.size() < 2) {
			// Not pending for this consumer any more: the partition's new holder claimed it and persists or
			// dead-letters it; deleting it here would lose it.
			logger.warn("Write-behind of '" + this.name + "' left a write of " + Masking.mask(entry.key())
					+ " to the partition's new holder: " + reason + ": " + error);
			return;
		}
		this.metrics.count(CacheMeter.WRITE_BEHIND, this.cache, "dead-lettered", 1);
		long trimmed = (reply.get(1) instanceof Number number) ? number.longValue() : 0;
		if (trimmed > 0) {
			// Writes lost for good: never silent.
			this.metrics.count(CacheMeter.WRITE_BEHIND, this.cache, "dead-letters-trimmed", trimmed);
			logger.warn("Write-behind of '" + this.name + "' dropped its " + trimmed + " oldest dead letters"
					+ " (dead-letter-max-length " + this.policy.deadLetterMaxLength() + ")");
		}
		logger.warn("Write-behind of '" + this.name + "' dead-lettered a write of " + Masking.mask(entry.key()) + ": " + reason + ": " + error);
	}

	private static void addField(List<byte[]> args, String name, String value) {
		args.add(utf8(name));
		args.add(utf8(value));
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(Math.max(1, millis));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
