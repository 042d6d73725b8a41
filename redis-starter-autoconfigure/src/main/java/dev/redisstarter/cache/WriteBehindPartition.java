package dev.redisstarter.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.Consumer;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.models.stream.ClaimedMessages;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;

import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * Persists one partition of a write-behind cache while this instance holds its lease: one thread, one batch at a
 * time ({@link WriteBehindBatches}), so that the writes of a key reach the writer in order. On taking the lease it
 * claims every entry pending in the group (a crashed or stopped holder's), reads them again in order, then reads new
 * ones. A batch is handed over when it is full, when its oldest write waited {@code max-delay}, or at once while
 * draining or recovering.
 */
final class WriteBehindPartition implements Runnable {

	private static final Log logger = LogFactory.getLog(WriteBehind.class);

	private static final LuaScript<Long> LEASE = LuaScript.load("dev/redisstarter/cache/write-behind-lease.lua", Long.class);

	@SuppressWarnings("rawtypes")
	private static final LuaScript<List> REPAIR = LuaScript.load("dev/redisstarter/cache/write-behind-repair.lua",
			List.class);

	private static final LuaScript<Long> REMOVE_CONSUMER = LuaScript
		.load("dev/redisstarter/stream/remove-idle-consumer.lua", Long.class);

	/** The most a pause between polls of an idle partition lasts. */
	private static final long IDLE_POLL_MILLIS = 100;

	private final String cache;

	private final WriteBehindPolicy policy;

	private final RedisCalls calls;

	private final WriteBehindBatches batches;

	private final byte[] stream;

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

	/** Whether the writer's store is down (logged once when it goes, once when it comes back). */
	private boolean outage;

	/** Where reading the entries pending for this consumer resumes; {@code null} once they are read (new ones then). */
	private @Nullable String cursor;

	private final List<WriteBehindEntry> buffer = new ArrayList<>();

	private long bufferedSince;

	/** When other consumers' pending writes were last looked for (nanos). */
	private long sweptAt = System.nanoTime();

	WriteBehindPartition(String cache, int partition, WriteBehindPolicy policy, WriteBehindWriter<?> writer,
			JsonMapper mapper, RedisCalls calls, WriteBehindKeys keys, String consumer, CacheMetrics metrics) {
		this.cache = cache;
		this.policy = policy;
		this.calls = calls;
		this.stream = utf8(keys.stream(cache, partition));
		this.lease = utf8(keys.lease(cache, partition));
		this.consumer = consumer;
		this.holder = utf8(consumer);
		this.name = WriteBehindKeys.streamName(cache, partition);
		this.batches = new WriteBehindBatches(cache, partition, policy, writer, mapper, calls, keys, consumer, metrics,
				() -> this.running && this.owned);
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
			catch (WriteBehindBatches.WriterOutage ex) {
				// The store is down: what was read stays pending here, and is handed over again, in order, after a wait.
				if (!this.outage) {
					logger.warn(ex.getMessage(), ex.getCause());
					this.outage = true;
				}
				this.buffer.clear();
				this.bufferedSince = 0;
				this.cursor = "0-0";
				pause(this.policy.backoff().max().toMillis());
			}
			catch (RuntimeException ex) {
				// Redis away or restarting: what was read and not settled is pending here, and is read again in order.
				logger.debug("Write-behind of '" + this.name + "' failed, retrying: " + ex);
				this.buffer.clear();
				this.bufferedSince = 0;
				this.cursor = "0-0";
				if (mentions(ex, "NOGROUP")) {
					// The stream went with its group (deleted, or Redis restarted empty): take the partition over
					// again, which recreates the group, or nothing written since would ever be read.
					this.owned = false;
				}
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
			boolean readingNew = this.cursor == null;
			List<WriteBehindEntry> read = read(room);
			if (this.cursor != null) {
				this.cursor = read.isEmpty() ? null : read.get(read.size() - 1).id();
			}
			if (!read.isEmpty() && this.buffer.isEmpty()) {
				this.bufferedSince = System.nanoTime();
			}
			this.buffer.addAll(read);
			if (read.isEmpty() && this.buffer.isEmpty()) {
				// Drained once nothing new is left: an empty read of the entries pending here says nothing of new ones.
				this.drained = this.draining && readingNew;
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
		List<WriteBehindEntry> batch = List.copyOf(this.buffer);
		this.buffer.clear();
		this.bufferedSince = 0;
		// The lease checked (and renewed) right before the writer call, not only every third of it: a holder that
		// lost it (paused, cut off) must not persist writes the new holder persists too, maybe after newer ones.
		renew();
		if (!this.owned) {
			// Left pending here: the new holder claims them once idle for the lease.
			this.cursor = "0-0";
			return;
		}
		this.batches.flush(batch);
		if (this.outage) {
			logger.info("Write-behind writer of '" + this.name + "' persists again");
			this.outage = false;
		}
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
		deleteAcknowledgedLeftovers();
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
	 * Deletes the writes acknowledged but left in the stream by an older version (settled or dead-lettered, their
	 * deletion a separate call that a crash or a failure skipped): counted in backlog() and against max-backlog for
	 * good otherwise. Page by page, each page one script.
	 */
	private void deleteAcknowledgedLeftovers() {
		Object start = "-";
		long deleted = 0;
		while (start != null) {
			byte[] from = utf8(text(start));
			List<?> reply = this.calls.script(REPAIR, ScriptOutputType.MULTI, 1, this.stream, this.group, from,
					utf8("1000"));
			deleted += (reply.get(0) instanceof Number number) ? number.longValue() : 0;
			start = (reply.size() > 1) ? reply.get(1) : null;
		}
		if (deleted > 0) {
			logger.warn("Write-behind of '" + this.name + "' deleted " + deleted + " acknowledged writes left in its"
					+ " stream (by an older version: they were counted in its backlog)");
		}
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

	private List<WriteBehindEntry> read(int count) {
		String from = this.cursor;
		XReadArgs.StreamOffset<byte[]> offset = (from != null) ? XReadArgs.StreamOffset.from(this.stream, from)
				: XReadArgs.StreamOffset.lastConsumed(this.stream);
		List<StreamMessage<byte[], byte[]>> messages = this.calls.call((redis) -> redis
			.xreadgroup(Consumer.from(this.group, this.holder), XReadArgs.Builder.count(count), offset));
		List<WriteBehindEntry> entries = new ArrayList<>((messages != null) ? messages.size() : 0);
		if (messages != null) {
			for (StreamMessage<byte[], byte[]> message : messages) {
				entries.add(WriteBehindEntry.of(message.getId(), message.getBody()));
			}
		}
		return entries;
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

	private static boolean mentions(Throwable error, String code) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (String.valueOf(cause.getMessage()).contains(code)) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static String text(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}


}
