package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.RedisCalls;

/**
 * What happens to an entry after its handler ran: acknowledged, taken back for a retry, or moved to the
 * dead-letter stream. Each is one command or one script on the starter's connection, with the streams deadline.
 */
final class EntryOutcomes {

	private static final Log logger = LogFactory.getLog(EntryOutcomes.class);

	private static final int MAX_ERROR_LENGTH = 1000;

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
	 * Acknowledges entries without waiting. An acknowledgement that is lost leaves the entry pending: another
	 * delivery follows after the claim idle time (a duplicate, only after this failure).
	 * @param ids the handled entries
	 */
	void acknowledge(Collection<String> ids) {
		if (ids.isEmpty()) {
			return;
		}
		String[] raw = ids.toArray(String[]::new);
		try {
			RedisFuture<Long> reply = this.calls.run((redis) -> redis.xack(bytes(this.spec.key()), bytes(this.spec.group()), raw));
			reply.whenComplete((count, failure) -> {
				if (failure != null) {
					logger.debug("Acknowledging " + ids.size() + " entries of " + this.spec.stream() + " failed; they will be"
							+ " delivered again: " + failure);
				}
				else {
					this.meters.acknowledged(count);
				}
			});
		}
		catch (RuntimeException ex) {
			logger.debug("Acknowledging " + ids.size() + " entries of " + this.spec.stream() + " failed; they will be"
					+ " delivered again: " + ex);
		}
	}

	/**
	 * Takes a failed entry back for another delivery to this consumer.
	 * @param id the entry
	 * @return the entry with its new delivery count, or {@code null} when it is no longer this consumer's
	 */
	@Nullable StreamEntry retry(String id) {
		List<?> reply = this.calls.script(this.scripts.retry(), ScriptOutputType.MULTI, 1, bytes(this.spec.key()),
				bytes(this.spec.group()), bytes(this.spec.consumer()), bytes(id));
		if (reply == null || reply.size() < 2 || !(reply.get(0) instanceof List<?> fields)) {
			return null;
		}
		this.meters.retried();
		return StreamEntry.of(id, fields, ((Number) reply.get(1)).longValue());
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
		args.add(bytes(this.spec.key()));
		args.add(bytes(this.spec.deadLetterKey()));
		args.add(bytes(this.spec.group()));
		args.add(bytes(this.spec.consumer()));
		args.add(bytes(entry.id()));
		args.add(bytes(Long.toString(this.spec.settings().deadLetterMaxLength())));
		if (entry.payload() != null) {
			args.add(bytes(RedisStreamPublisher.PAYLOAD));
			args.add(entry.payload());
		}
		entry.fields().forEach((name, value) -> {
			args.add(bytes(name));
			args.add(bytes(value));
		});
		field(args, DeadLetter.ORIGINAL_ID, entry.id());
		field(args, DeadLetter.STREAM, this.spec.stream());
		field(args, DeadLetter.GROUP, this.spec.group());
		field(args, DeadLetter.DELIVERIES, Long.toString(entry.deliveries()));
		field(args, DeadLetter.ERROR, error.getClass().getName());
		field(args, DeadLetter.MESSAGE, trim(reason + ": " + error.getMessage()));
		List<?> reply = this.calls.script(this.scripts.deadLetter(), ScriptOutputType.MULTI, 2,
				args.toArray(byte[][]::new));
		if (reply == null || reply.size() < 2) {
			return false;
		}
		this.meters.deadLettered();
		long trimmed = ((Number) reply.get(1)).longValue();
		if (trimmed > 0) {
			this.meters.deadLettersTrimmed(trimmed);
		}
		logger.error("Entry " + entry.id() + " of stream '" + this.spec.stream() + "' (group " + this.spec.group()
				+ ") moved to the dead letters after " + entry.deliveries() + " deliveries: " + reason, error);
		return true;
	}

	private static void field(List<byte[]> args, String name, String value) {
		args.add(bytes(name));
		args.add(bytes(value));
	}

	private static String trim(String text) {
		return (text.length() <= MAX_ERROR_LENGTH) ? text : text.substring(0, MAX_ERROR_LENGTH) + "...";
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
