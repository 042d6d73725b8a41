package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.models.stream.PendingMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * What a consumer does every claim interval besides reading: keeps the entries it is still handling
 * (renews them, so a long handler is not taken for a dead one), claims entries that stopped consumers left
 * pending, refreshes its gauges, removes consumers that have been idle with nothing pending, and, for a durable
 * topic, records that this instance is alive, removes the groups of instances gone for good and trims the stream
 * to what the slowest group still needs.
 */
final class StreamMaintenance {

	private static final Log logger = LogFactory.getLog(StreamMaintenance.class);

	/** Idle consumers are looked for every this many runs. */
	private static final int JANITOR_EVERY = 6;

	private static final int MAX_RECLAIM_ROUNDS = 10;

	private final ConsumerSpec spec;

	private final RedisCalls calls;

	private final StreamScripts scripts;

	private final StreamMetrics.Meters meters;

	private final StreamConsumer consumer;

	private int runs;

	private boolean reclaimUnsupported;

	/** The group position at which a gap was last reported (reader thread only). */
	private @Nullable String gapReportedAt;

	StreamMaintenance(ConsumerSpec spec, RedisCalls calls, StreamScripts scripts, StreamMetrics.Meters meters,
			StreamConsumer consumer) {
		this.spec = spec;
		this.calls = calls;
		this.scripts = scripts;
		this.meters = meters;
		this.consumer = consumer;
	}

	void run() {
		if (!this.consumer.isRunning() || !this.consumer.isReading()) {
			return;
		}
		try {
			if (!this.spec.atMostOnce()) {
				this.consumer.outcomes().retryAcknowledgements();
			}
			if (!this.spec.atMostOnce() && this.consumer.circuit().allowsFetching()) {
				// Not while the listener's circuit is open: another consumer may handle what it would only hold.
				reclaim();
			}
			refreshGauges();
			if (this.spec.broadcast()) {
				heartbeat();
			}
			if (++this.runs % JANITOR_EVERY == 0) {
				removeIdleConsumers();
				if (this.spec.broadcast()) {
					expireInstancesAndTrim();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.debug("Maintenance of stream '" + this.spec.stream() + "' failed, will retry: " + ex);
		}
	}

	/**
	 * Entries handled for longer than half the claim idle time are claimed again by their handler (JUSTID), so that
	 * no other consumer takes them for a dead one's; run by the consumer's lease keeper every claim interval.
	 */
	void renewInFlight() {
		if (!this.consumer.isRunning() || !this.consumer.isReading()) {
			return;
		}
		long threshold = System.nanoTime() - this.spec.settings().claimIdle().toNanos() / 2;
		java.util.Set<String> due = new java.util.HashSet<>(this.consumer.waitingForRetry());
		// Handled, their acknowledgement waiting for another attempt: still this consumer's.
		due.addAll(this.consumer.outcomes().unacknowledged());
		this.consumer.inFlight().forEach((id, since) -> {
			if (since - threshold < 0) {
				due.add(id);
			}
		});
		String[] ids = due.toArray(String[]::new);
		if (ids.length > 0) {
			this.calls.call((redis) -> redis.xclaim(utf8(this.spec.key()),
					Consumer.from(utf8(this.spec.group()), utf8(this.spec.consumer())),
					XClaimArgs.Builder.justid().minIdleTime(0), ids));
		}
	}

	private void reclaim() throws InterruptedException {
		reclaim(this.spec.settings().claimIdle().toMillis());
	}

	/**
	 * Claims and hands to the handlers, oldest first, entries pending at least this long for any consumer.
	 * @param minIdleMillis how long an entry must have been pending untouched
	 * @throws InterruptedException when interrupted while waiting for a handler slot
	 */
	private void reclaim(long minIdleMillis) throws InterruptedException {
		if (this.reclaimUnsupported) {
			return;
		}
		String cursor = "0-0";
		for (int round = 0; round < MAX_RECLAIM_ROUNDS; round++) {
			// Claim no more than the handlers have room for now: this thread must never wait for a slot.
			int room = this.consumer.roomForNew();
			if (room <= 0) {
				return;
			}
			int reserved = this.consumer.tryReserve(
					this.spec.batch() ? this.spec.settings().readCount() : Math.min(room, this.spec.settings().readCount()));
			if (reserved == 0) {
				return;
			}
			int count = reserved;
			List<?> reply;
			try {
				reply = this.calls.script(this.scripts.reclaim(), ScriptOutputType.MULTI, 1, utf8(this.spec.key()),
						utf8(this.spec.group()), utf8(this.spec.consumer()),
						utf8(Long.toString(minIdleMillis)), utf8(cursor), utf8(Integer.toString(count)));
			}
			catch (RuntimeException ex) {
				this.consumer.unreserve(reserved, 0);
				if (String.valueOf(ex.getMessage()).contains("XAUTOCLAIM")
						&& String.valueOf(ex.getMessage()).toLowerCase().contains("unknown")) {
					this.reclaimUnsupported = true;
					logger.warn("Redis has no XAUTOCLAIM (6.2 or newer is needed): entries of stopped consumers of '"
							+ this.spec.stream() + "' are not reclaimed");
				}
				throw ex;
			}
			ReclaimReply reclaimed = ReclaimReply.of(reply);
			long trimmed = reclaimed.trimmed();
			if (trimmed > 0) {
				this.meters.pendingTrimmed(trimmed);
				logger.warn("Stream '" + this.spec.stream() + "' (group " + this.spec.group() + "): " + trimmed
						+ " pending entries were trimmed from the stream before any consumer handled them (max-length or"
						+ " max-age reached them); acknowledged, they are lost");
			}
			List<StreamEntry> claimed = reclaimed.claimed();
			if (!claimed.isEmpty()) {
				this.meters.reclaimed(claimed.size());
				logger.info("Claimed " + claimed.size() + " entries of '" + this.spec.stream() + "' left pending by a"
						+ " stopped consumer of group " + this.spec.group());
			}
			List<StreamEntry> handle = new ArrayList<>();
			for (StreamEntry entry : claimed) {
				if (this.consumer.holds(entry.id())) {
					// Its own, still being handled or waiting for a retry: not a stopped consumer's.
					continue;
				}
				if (entry.deliveries() > this.spec.settings().maxDeliveries() && this.consumer.allowsGivingUp()) {
					// Delivered again and again without an outcome: it stops consumers (kills the process, hangs).
					this.consumer.giveUp(entry, new IllegalStateException("no outcome after " + EntryOutcomes.deliveries(entry.deliveries())),
							"delivered more than " + this.spec.settings().maxDeliveries() + " times without an outcome");
				}
				else {
					handle.add(entry);
				}
			}
			this.consumer.dispatchReserved(handle);
			this.consumer.unreserve(reserved, handle.size());
			cursor = reclaimed.cursor();
			if (reclaimed.done()) {
				return;
			}
		}
	}

	private void refreshGauges() {
		List<Object> groups = this.calls.call((redis) -> redis.xinfoGroups(utf8(this.spec.key())));
		for (Map<String, Object> group : maps(groups)) {
			if (this.spec.group().equals(text(group.get("name")))) {
				this.meters.pending.set(number(group.get("pending")));
				Object lag = group.get("lag");
				this.meters.lag.set((lag != null) ? number(lag) : -1);
			}
		}
		List<PendingMessage> oldest = this.calls.call((redis) -> redis.xpending(utf8(this.spec.key()),
				utf8(this.spec.group()), Range.create("-", "+"), Limit.from(1)));
		this.meters.oldestPendingSeconds.set(oldest.isEmpty() ? 0
				: Math.max(0, (System.currentTimeMillis() - StreamIds.millis(oldest.get(0).getId())) / 1000));
	}

	private void removeIdleConsumers() {
		List<Object> consumers = this.calls.call((redis) -> redis.xinfoConsumers(utf8(this.spec.key()),
				utf8(this.spec.group())));
		long expiry = this.spec.settings().consumerExpiry().toMillis();
		for (Map<String, Object> info : maps(consumers)) {
			String name = text(info.get("name"));
			if (!name.equals(this.spec.consumer()) && number(info.get("idle")) > expiry) {
				Long removed = this.calls.script(this.scripts.removeIdleConsumer(), ScriptOutputType.INTEGER, 1,
						utf8(this.spec.key()), utf8(this.spec.group()), utf8(name));
				if (removed != null && removed == 1) {
					logger.info("Removed consumer " + name + " of group " + this.spec.group() + " on '" + this.spec.stream()
							+ "': idle for more than " + this.spec.settings().consumerExpiry() + " with nothing pending");
				}
			}
		}
	}

	/**
	 * A durable-topic instance joined its group. When the group existed, reports whether entries it had not read
	 * were trimmed meanwhile (a gap), and, on the first join since the consumer started, takes over at once what the
	 * instance's previous run left pending (handling, read ahead or waiting for a retry when it stopped), so that
	 * those entries come first, in order, rather than after the claim idle time and behind newer ones. The group is
	 * this instance's alone, so nobody else is handling them (unless two broadcast listeners of this application
	 * share the stream and group, which then compete for its entries anyway).
	 * @param created whether the group was created just now
	 * @param takeOver whether to take over what is pending
	 * @return the group's last-delivered id, or {@code null} when it could not be read
	 * @throws InterruptedException when interrupted while waiting for a handler slot
	 */
	@Nullable String joined(boolean created, boolean takeOver) throws InterruptedException {
		heartbeat();
		Map<String, Object> group = groupInfo();
		if (!created && group != null) {
			reportGap(group);
			if (takeOver) {
				reclaim(0);
			}
		}
		return (group != null) ? text(group.get("last-delivered-id")) : null;
	}

	/**
	 * The group this run had joined was gone and has been created again: Redis lost it (restarted without its data,
	 * FLUSHALL, a failover to an empty replica) or somebody deleted it. Counted as a gap and logged: whatever Redis
	 * lost with it is not delivered.
	 * @param position where the group was created again
	 */
	void groupLost(String position) {
		// The same gap as far as the next join is concerned (its counters restart with the group: Redis 7 cannot count
		// what the recreated group has read until it reads).
		this.gapReportedAt = position;
		this.meters.gap();
		String what = this.spec.broadcast() ? "Durable topic '" + this.spec.stream() + "'" : "Stream '" + this.spec.stream() + "'";
		logger.warn(what + ": group " + this.spec.group() + " was gone from Redis (restarted without its data, FLUSHALL,"
				+ " failover to an empty replica, or deleted); created again at " + position
				+ (this.spec.broadcast() ? (position.equals("0-0") ? ", the start of the stream Redis has now" : ", where this"
						+ " instance stood") + ": entries added since are delivered" : ": entries"
						+ " the stream holds are delivered")
				+ ", but entries Redis lost before that (and their pending state) are not");
	}

	private @Nullable Map<String, Object> groupInfo() {
		for (Map<String, Object> info : maps(this.calls.call((redis) -> redis.xinfoGroups(utf8(this.spec.key()))))) {
			if (this.spec.group().equals(text(info.get("name")))) {
				return info;
			}
		}
		return null;
	}

	private void reportGap(Map<String, Object> group) {
		String missed = MissedEntries.find(map(this.calls.call((redis) -> redis.xinfoStream(utf8(this.spec.key())))),
				group);
		String position = text(group.get("last-delivered-id"));
		if (missed != null && !position.equals(this.gapReportedAt)) {
			// Once per position: a reconnect before the group read past it is the same gap, not a new one.
			this.gapReportedAt = position;
			this.meters.gap();
			logger.warn("Durable topic '" + this.spec.stream() + "': this instance (group " + this.spec.group()
					+ ") was away longer than the stream keeps entries: " + missed + " before it read them (raise the"
					+ " stream's max-length or max-age)");
		}
	}

	private void heartbeat() {
		List<byte[]> time = this.calls.call((redis) -> redis.time());
		long now = Long.parseLong(text(time.get(0))) * 1000 + Long.parseLong(text(time.get(1))) / 1000;
		this.calls.run((redis) -> {
			var set = redis.hset(utf8(this.spec.instancesKey()), utf8(this.spec.group()), utf8(Long.toString(now)));
			var expire = redis.pexpire(utf8(this.spec.instancesKey()), this.spec.instanceExpiry().toMillis() * 2);
			this.calls.await(set);
			return this.calls.await(expire);
		});
	}

	private void expireInstancesAndTrim() {
		List<byte[]> time = this.calls.call((redis) -> redis.time());
		long now = Long.parseLong(text(time.get(0))) * 1000;
		Map<byte[], byte[]> instances = this.calls.call((redis) -> redis.hgetall(utf8(this.spec.instancesKey())));
		adoptUnknownInstances(instances, now);
		for (Map.Entry<byte[], byte[]> instance : instances.entrySet()) {
			String group = text(instance.getKey());
			long seen = Long.parseLong(text(instance.getValue()));
			if (!group.equals(this.spec.group()) && now - seen > this.spec.instanceExpiry().toMillis()) {
				this.calls.call((redis) -> redis.xgroupDestroy(utf8(this.spec.key()), utf8(group)));
				this.calls.call((redis) -> redis.hdel(utf8(this.spec.instancesKey()), utf8(group)));
				logger.info("Durable topic '" + this.spec.stream() + "': removed the group of instance " + group
						+ ", not seen for more than " + this.spec.instanceExpiry());
			}
		}
		trimToSlowestGroup();
	}

	/**
	 * Instance groups of this topic that the instances hash does not know: the hash expired (no instance ran for twice
	 * instance-expiry) or was lost. Each is recorded as seen now (only if still unknown, HSETNX), so that it is
	 * removed after instance-expiry unless its instance comes back; removing it at once could race an instance that
	 * has just created its group and not yet recorded itself.
	 */
	private void adoptUnknownInstances(Map<byte[], byte[]> instances, long now) {
		java.util.Set<String> known = new java.util.HashSet<>();
		instances.keySet().forEach((name) -> known.add(text(name)));
		String prefix = this.spec.topicGroup() + ":";
		for (Map<String, Object> group : maps(this.calls.call((redis) -> redis.xinfoGroups(utf8(this.spec.key()))))) {
			String name = text(group.get("name"));
			if (name.startsWith(prefix) && !name.equals(this.spec.group()) && !known.contains(name)) {
				Boolean adopted = this.calls.call((redis) -> redis.hsetnx(utf8(this.spec.instancesKey()), utf8(name),
						utf8(Long.toString(now))));
				if (Boolean.TRUE.equals(adopted)) {
					logger.info("Durable topic '" + this.spec.stream() + "': group " + name + " belongs to no instance"
							+ " seen lately; it is removed after " + this.spec.instanceExpiry() + " unless its instance returns");
				}
			}
		}
	}

	/** Entries every group has read and acknowledged are trimmed; a pending entry is never trimmed. */
	private void trimToSlowestGroup() {
		String floor = null;
		for (Map<String, Object> group : maps(this.calls.call((redis) -> redis.xinfoGroups(utf8(this.spec.key()))))) {
			String name = text(group.get("name"));
			String needed = text(group.get("last-delivered-id"));
			if (number(group.get("pending")) > 0) {
				List<PendingMessage> first = this.calls.call((redis) -> redis.xpending(utf8(this.spec.key()), utf8(name),
						Range.create("-", "+"), Limit.from(1)));
				if (!first.isEmpty()) {
					needed = first.get(0).getId();
				}
			}
			if (floor == null || StreamIds.compare(needed, floor) < 0) {
				floor = needed;
			}
		}
		if (floor != null && !floor.equals("0-0")) {
			String minId = floor;
			this.calls.call((redis) -> redis.xtrim(utf8(this.spec.key()), XTrimArgs.Builder.minId(minId).approximateTrimming()));
		}
	}

	private static List<Map<String, Object>> maps(@Nullable List<Object> items) {
		return StreamInspector.maps(items);
	}

	private static Map<String, Object> map(@Nullable List<?> flat) {
		Map<String, Object> result = new LinkedHashMap<>();
		if (flat != null) {
			for (int i = 0; i + 1 < flat.size(); i += 2) {
				result.put(text(flat.get(i)), flat.get(i + 1));
			}
		}
		return result;
	}

	private static String text(@Nullable Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	private static long number(@Nullable Object value) {
		if (value instanceof Number number) {
			return number.longValue();
		}
		try {
			return Long.parseLong(text(value));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
