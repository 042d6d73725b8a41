package dev.redisstarter.messaging.stream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * What happens to an entry after its handler ran: acknowledged, taken back for a retry, or moved to the
 * dead-letter stream. Each is one command or one script on the starter's connection, with the streams deadline.
 */
final class EntryOutcomes {

	private static final Log logger = LogFactory.getLog(EntryOutcomes.class);

	private static final int MAX_ERROR_LENGTH = 1000;

	/** Failed acknowledgements kept for another attempt, at most this many (the oldest are given up first). */
	static final int MAX_UNACKNOWLEDGED = 10_000;

	/** A failed acknowledgement is tried again at most this many times (once per claim interval). */
	static final int MAX_ACK_ATTEMPTS = 100;

	/** Entries handled whose acknowledgement failed, with how many times it was tried (insertion order: oldest first). */
	private final Map<String, Integer> unacknowledged = new LinkedHashMap<>();

	/**
	 * Of those, the ones whose failed acknowledgement may have reached Redis (its reply was lost): a retry that finds
	 * one no longer pending counts it, as that earlier attempt acknowledged it (guarded by {@link #unacknowledged}).
	 */
	private final Set<String> maybeAcknowledged = new java.util.HashSet<>();

	private final ConsumerSpec spec;

	private final RedisCalls calls;

	private final StreamScripts scripts;

	private final StreamMetrics.Meters meters;

	EntryOutcomes(ConsumerSpec spec, RedisCalls calls, StreamScripts scripts, StreamMetrics.Meters meters) {
		this.spec = spec;
		this.calls = calls;
		this.scripts = scripts;
		this.meters = meters;
	}

	/**
	 * Acknowledges entries without waiting. An acknowledgement that fails (the shared connection is still reconnecting
	 * after a Redis restart while the reader already reads) is kept and tried again every claim interval
	 * ({@link #retryAcknowledgements()}), and the entry stays this consumer's meanwhile ({@link #unacknowledged()}:
	 * renewed, never reclaimed by itself), so that it is not handled twice; only an acknowledgement given up (after
	 * {@value #MAX_ACK_ATTEMPTS} attempts, or beyond {@value #MAX_UNACKNOWLEDGED} waiting ones) leaves the entry to be
	 * delivered again.
	 * @param ids the handled entries
	 */
	void acknowledge(Collection<String> ids) {
		if (ids.isEmpty()) {
			return;
		}
		String[] raw = ids.toArray(String[]::new);
		try {
			RedisFuture<Long> reply = this.calls.run((redis) -> redis.xack(utf8(this.spec.key()), utf8(this.spec.group()), raw));
			reply.whenComplete((count, failure) -> {
				if (failure != null) {
					keep(ids, 0, failure, true);
				}
				else {
					this.meters.acknowledged(count);
				}
			});
		}
		catch (RuntimeException ex) {
			// Not sent (the connection was down or the circuit open).
			keep(ids, 0, ex, false);
		}
	}

	private void keep(Collection<String> ids, int attempts, Throwable failure, boolean maybeSent) {
		logger.debug("Acknowledging " + ids.size() + " entries of " + this.spec.stream() + " failed; kept for another"
				+ " attempt: " + failure);
		synchronized (this.unacknowledged) {
			for (String id : ids) {
				this.unacknowledged.merge(id, attempts, Math::max);
				if (maybeSent) {
					this.maybeAcknowledged.add(id);
				}
			}
			int over = this.unacknowledged.size() - MAX_UNACKNOWLEDGED;
			if (over > 0) {
				var oldest = this.unacknowledged.keySet().iterator();
				for (int i = 0; i < over; i++) {
					this.maybeAcknowledged.remove(oldest.next());
					oldest.remove();
				}
				logger.warn("Stream '" + this.spec.stream() + "' (group " + this.spec.group() + "): " + over
						+ " acknowledgements given up (more than " + MAX_UNACKNOWLEDGED + " waiting); those entries will be"
						+ " delivered again");
			}
		}
	}

	/**
	 * The entries handled whose acknowledgement is waiting for another attempt: still this consumer's.
	 * @return a copy of their ids
	 */
	Set<String> unacknowledged() {
		synchronized (this.unacknowledged) {
			return Set.copyOf(this.unacknowledged.keySet());
		}
	}

	/**
	 * Whether an entry's acknowledgement is waiting for another attempt.
	 * @param id the entry
	 * @return true when it is
	 */
	boolean awaitsAcknowledgement(String id) {
		synchronized (this.unacknowledged) {
			return this.unacknowledged.containsKey(id);
		}
	}

	/** Tries the kept acknowledgements again, waiting for the answer (the maintenance thread); never throws. */
	void retryAcknowledgements() {
		Map<String, Integer> due;
		Set<String> maybeDone;
		synchronized (this.unacknowledged) {
			if (this.unacknowledged.isEmpty()) {
				return;
			}
			due = new LinkedHashMap<>(this.unacknowledged);
			maybeDone = Set.copyOf(this.maybeAcknowledged);
		}
		String[] raw = due.keySet().toArray(String[]::new);
		try {
			// One XACK per entry (pipelined), to tell which ones were still pending.
			long acknowledged = this.calls.run((redis) -> {
				List<RedisFuture<Long>> replies = new ArrayList<>(raw.length);
				for (String id : raw) {
					replies.add(redis.xack(utf8(this.spec.key()), utf8(this.spec.group()), id));
				}
				long count = 0;
				for (int i = 0; i < raw.length; i++) {
					Long one = this.calls.await(replies.get(i));
					// No longer pending after an earlier attempt that may have reached Redis: that attempt acknowledged
					// it and its reply was lost. Counted here, once. (One never sent that is no longer pending was
					// acknowledged by another consumer that reclaimed it, or its group was lost: not counted.)
					if ((one != null && one > 0) || maybeDone.contains(raw[i])) {
						count++;
					}
				}
				return count;
			});
			this.meters.acknowledged(acknowledged);
			synchronized (this.unacknowledged) {
				due.keySet().forEach((id) -> {
					this.unacknowledged.remove(id);
					this.maybeAcknowledged.remove(id);
				});
			}
		}
		catch (RuntimeException ex) {
			synchronized (this.unacknowledged) {
				// This attempt may have reached Redis too.
				this.maybeAcknowledged.addAll(due.keySet());
				due.forEach((id, attempts) -> {
					if (attempts + 1 >= MAX_ACK_ATTEMPTS) {
						this.unacknowledged.remove(id);
						this.maybeAcknowledged.remove(id);
					}
					else {
						this.unacknowledged.computeIfPresent(id, (key, value) -> attempts + 1);
					}
				});
			}
			logger.debug("Acknowledging " + raw.length + " entries of " + this.spec.stream() + " failed again: " + ex);
		}
	}

	/** Forgets what a stopped run could not acknowledge: those entries stay pending for another consumer. */
	void forgetUnacknowledged() {
		synchronized (this.unacknowledged) {
			this.unacknowledged.clear();
			this.maybeAcknowledged.clear();
		}
	}

	/**
	 * Takes a failed entry back for another delivery to this consumer.
	 * @param id the entry
	 * @param countDelivery false when the failure was the outage's (the circuit was open): the delivery count stays
	 * @return the entry with its new delivery count, or {@code null} when it is no longer this consumer's
	 */
	@Nullable StreamEntry retry(String id, boolean countDelivery) {
		RetryReply reply = RetryReply.of(this.calls.script(this.scripts.retry(), ScriptOutputType.MULTI, 1,
				utf8(this.spec.key()), utf8(this.spec.group()), utf8(this.spec.consumer()), utf8(id),
				utf8(countDelivery ? "1" : "0")));
		if (reply == null) {
			return null;
		}
		this.meters.retried();
		return StreamEntry.of(id, reply.fields(), reply.deliveries());
	}

	/**
	 * Moves an entry to the dead-letter stream with what went wrong, and acknowledges it, in one script.
	 * @param entry the entry
	 * @param error what it failed with
	 * @param reason why it is given up, in words
	 * @return whether it was moved (false when it is no longer this consumer's)
	 */
	boolean deadLetter(StreamEntry entry, Throwable error, String reason) {
		List<byte[]> args = new ArrayList<>();
		args.add(utf8(this.spec.key()));
		args.add(utf8(this.spec.deadLetterKey()));
		args.add(utf8(this.spec.group()));
		args.add(utf8(this.spec.consumer()));
		args.add(utf8(entry.id()));
		args.add(utf8(Long.toString(this.spec.settings().deadLetterMaxLength())));
		// The entry stays in the stream: its history.
		args.add(utf8("0"));
		if (entry.payload() != null) {
			args.add(utf8(RedisStreamPublisher.PAYLOAD));
			args.add(entry.payload());
		}
		entry.fields().forEach((name, value) -> {
			args.add(utf8(name));
			args.add(utf8(value));
		});
		field(args, DeadLetter.ORIGINAL_ID, entry.id());
		field(args, DeadLetter.STREAM, this.spec.stream());
		field(args, DeadLetter.GROUP, this.spec.group());
		field(args, DeadLetter.DELIVERIES, Long.toString(entry.deliveries()));
		field(args, DeadLetter.ERROR, error.getClass().getName());
		field(args, DeadLetter.MESSAGE, trim(reason + ": " + error.getMessage()));
		DeadLetterReply reply = DeadLetterReply.of(this.calls.script(this.scripts.deadLetter(),
				ScriptOutputType.MULTI, 2, args.toArray(byte[][]::new)));
		if (reply == null) {
			return false;
		}
		this.meters.deadLettered();
		long trimmed = reply.trimmed();
		if (trimmed > 0) {
			this.meters.deadLettersTrimmed(trimmed);
		}
		logger.error("Entry " + entry.id() + " of stream '" + this.spec.stream() + "' (group " + this.spec.group()
				+ ") moved to the dead letters after " + deliveries(entry.deliveries()) + ": " + reason, error);
		return true;
	}

	/** "1 delivery", "3 deliveries". */
	static String deliveries(long count) {
		return count + ((count == 1) ? " delivery" : " deliveries");
	}

	private static void field(List<byte[]> args, String name, String value) {
		args.add(utf8(name));
		args.add(utf8(value));
	}

	private static String trim(String text) {
		return (text.length() <= MAX_ERROR_LENGTH) ? text : text.substring(0, MAX_ERROR_LENGTH) + "...";
	}

}
