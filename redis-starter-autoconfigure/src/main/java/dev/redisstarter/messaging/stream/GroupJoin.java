package dev.redisstarter.messaging.stream;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.RedisAccess;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * A {@link StreamConsumer}'s membership of its consumer group, as its reader sees it: the group is created (or found)
 * on each new read connection before the first read, and again after it was deleted. A durable topic also keeps where
 * this run stands in the stream, so that a group lost with Redis's data (a restart without persistence, FLUSHALL, a
 * failover to an empty replica) is created again where this run stood rather than at the end, and what was added
 * since is delivered. Reader thread only, apart from {@link #isReady}.
 */
final class GroupJoin {

	private final ConsumerSpec spec;

	private final RedisAccess access;

	private final StreamMaintenance maintenance;

	private volatile boolean ready;

	/**
	 * Whether this run joined its durable-topic group yet: only the first join takes over what a previous run left
	 * pending; a later one follows a lost connection, while this run's own entries may still be handled.
	 */
	private volatile boolean joinedSinceStart;

	/**
	 * Where this run stands in the stream (durable topic): the last entry id it read, else its group's last-delivered
	 * id at the first join. A group this run had joined that is gone (Redis lost its data) is created again here.
	 */
	private volatile @Nullable String standsAt;

	GroupJoin(ConsumerSpec spec, RedisAccess access, StreamMaintenance maintenance) {
		this.spec = spec;
		this.access = access;
		this.maintenance = maintenance;
	}

	/** A new run: its first join takes over what the previous run left pending, from where the group stands. */
	void reset() {
		this.joinedSinceStart = false;
		this.standsAt = null;
	}

	/**
	 * Whether the group was created or found on the current read connection.
	 * @return true when the reader may read
	 */
	boolean isReady() {
		return this.ready;
	}

	/** The group must be checked again before the next read (a new connection, a deleted group, a refusal). */
	void recheck() {
		this.ready = false;
	}

	/**
	 * Creates the group, or finds it, unless that was done on this connection already.
	 * @param redis the reader's connection
	 * @throws InterruptedException when interrupted while the first join hands what was left pending to the handlers
	 */
	void ensure(RedisStreamAsyncCommands<byte[], byte[]> redis) throws InterruptedException {
		if (this.ready) {
			return;
		}
		// A group this run had joined and that is missing now was lost (Redis restarted empty, FLUSHALL, failover to an
		// empty replica): a durable topic takes it up where this run stood, so that what was added since is delivered.
		String stood = this.standsAt;
		boolean rejoin = this.joinedSinceStart;
		// A rejoin without a known position (the first join's answer was lost in the fault): from the start, so
		// that entries are delivered again rather than skipped.
		String position = !this.spec.broadcast() ? "0"
				: !rejoin ? "$" : (stood != null) ? rejoinPosition(redis, stood) : "0-0";
		boolean created;
		try {
			redis.xgroupCreate(XReadArgs.StreamOffset.from(utf8(this.spec.key()), position), utf8(this.spec.group()),
					XGroupCreateArgs.Builder.mkstream())
				.get(this.access.settings().livenessTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
			created = true;
		}
		catch (java.util.concurrent.ExecutionException ex) {
			if (!String.valueOf(ex.getCause().getMessage()).contains("BUSYGROUP")) {
				throw new IllegalStateException("Could not create group " + this.spec.group() + ": " + ex.getCause(), ex);
			}
			created = false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("No answer to XGROUP CREATE", ex);
		}
		if (created && rejoin) {
			this.maintenance.groupLost(position);
			if (this.spec.broadcast()) {
				// Created at the start of a new stream: this run stands there now (its ids may all be below the old ones).
				this.standsAt = position;
			}
		}
		if (this.spec.broadcast()) {
			// Before the group counts as ready, so that the maintenance thread does not reclaim meanwhile.
			String lastDelivered = this.maintenance.joined(created, !rejoin);
			if (this.standsAt == null && lastDelivered != null) {
				this.standsAt = lastDelivered;
			}
		}
		this.joinedSinceStart = true;
		this.ready = true;
	}

	/**
	 * Where a lost durable-topic group is created again: where this run stood when the stream still holds that entry
	 * (only the group went), else at the start. A stream without it was lost with the group (or trimmed past it):
	 * everything it holds was added since, and may have ids below the one this run stood at (explicit ids, a server
	 * clock that went back), which a group created at that id would skip without a trace.
	 */
	private String rejoinPosition(RedisStreamAsyncCommands<byte[], byte[]> redis, String stood) {
		try {
			List<StreamMessage<byte[], byte[]>> there = redis
				.xrange(utf8(this.spec.key()), io.lettuce.core.Range.create(stood, stood), io.lettuce.core.Limit.from(1))
				.get(this.access.settings().livenessTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
			// "0-0", as XINFO GROUPS shows it: the gap check of a later reconnect knows it as the gap reported now.
			return (there != null && !there.isEmpty()) ? stood : "0-0";
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IllegalStateException("Could not read stream '" + this.spec.stream() + "': " + ex.getCause(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new IllegalStateException("No answer to XRANGE", ex);
		}
	}

	/** Moves where this run stands forward (reader thread only). */
	void advance(String id) {
		String stood = this.standsAt;
		if (stood == null || StreamIds.compare(id, stood) > 0) {
			this.standsAt = id;
		}
	}

}
