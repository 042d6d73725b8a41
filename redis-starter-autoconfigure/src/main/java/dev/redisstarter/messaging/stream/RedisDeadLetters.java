package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.stream.RecordId;

import dev.redisstarter.core.DeadLetterReplay;
import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * {@link DeadLetters} on the dead-letter streams: {@code XRANGE} to list, {@code replay.lua} to put one back,
 * {@code DEL} to purge.
 */
public final class RedisDeadLetters implements DeadLetters {

	private static final int REPLAY_BATCH = 100;

	private final RedisCalls calls;

	private final StreamKeys keys;

	private final StreamScripts scripts = StreamScripts.load();

	private final Function<String, StreamSettings> settings;

	/**
	 * Dead letters.
	 * @param calls with the streams deadline
	 * @param keys names the streams
	 * @param settings each stream's settings (its length bound applies to replays)
	 */
	public RedisDeadLetters(RedisCalls calls, StreamKeys keys, Function<String, StreamSettings> settings) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
	}

	@Override
	public List<DeadLetter> list(String stream, int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be positive, was " + limit);
		}
		byte[] key = utf8(this.keys.deadLetters(stream));
		try {
			List<StreamMessage<byte[], byte[]>> found = this.calls
				.call((redis) -> redis.xrange(key, Range.create("-", "+"), Limit.from(limit)));
			List<DeadLetter> letters = new ArrayList<>(found.size());
			found.forEach((message) -> letters.add(DeadLetter.of(message.getId(), message.getBody())));
			return letters;
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "list the dead letters", ex);
		}
	}

	@Override
	public List<DeadLetter> preview(String stream, int limit, int previewChars) {
		if (limit < 1 || previewChars < 1) {
			throw new IllegalArgumentException("limit and previewChars must be positive, were " + limit + " and "
					+ previewChars);
		}
		// A character is at most 4 bytes in UTF-8: the bytes kept always hold previewChars whole characters.
		long keepBytes = Math.min(Integer.MAX_VALUE, 4L * previewChars + 4);
		try {
			List<?> reply = this.calls.script(this.scripts.deadList(), ScriptOutputType.MULTI, 1,
					utf8(this.keys.deadLetters(stream)), utf8(Integer.toString(limit)), utf8(Long.toString(keepBytes)));
			List<DeadLetter> letters = new ArrayList<>(reply.size());
			for (Object entry : reply) {
				List<?> pair = (List<?>) entry;
				List<?> flat = (List<?>) pair.get(1);
				Map<byte[], byte[]> body = new LinkedHashMap<>();
				for (int i = 0; i + 1 < flat.size(); i += 2) {
					body.put((byte[]) flat.get(i), (byte[]) flat.get(i + 1));
				}
				letters.add(DeadLetter.of(new String((byte[]) pair.get(0), StandardCharsets.UTF_8), body)
					.cut(previewChars));
			}
			return letters;
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "list the dead letters", ex);
		}
	}

	@Override
	public long count(String stream) {
		byte[] key = utf8(this.keys.deadLetters(stream));
		try {
			Long length = this.calls.call((redis) -> redis.xlen(key));
			return (length != null) ? length : 0;
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "count the dead letters", ex);
		}
	}

	@Override
	public Optional<RecordId> replay(String stream, String deadLetterId, Target target) {
		Objects.requireNonNull(deadLetterId, "deadLetterId must not be null");
		Objects.requireNonNull(target, "target must not be null");
		StreamIds.compare(deadLetterId, "0-0");
		try {
			byte[] id = this.calls.script(this.scripts.replay(), ScriptOutputType.VALUE, 2,
					utf8(this.keys.deadLetters(stream)), utf8(this.keys.stream(stream)), utf8(deadLetterId),
					utf8(Long.toString(this.settings.apply(stream).maxLength())),
					utf8((target == Target.FAILED_GROUP) ? "1" : "0"));
			return (id != null) ? Optional.of(RecordId.of(new String(id, StandardCharsets.UTF_8))) : Optional.empty();
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "replay a dead letter", ex);
		}
	}

	/**
	 * Replays the dead letters there were when the call started, oldest first: up to the dead-letter stream's last id
	 * as read first, in pages that each start after the last id seen. A replay that fails again at once is
	 * dead-lettered under a new, later id, which this call does not reach (it is not replayed twice).
	 */
	@Override
	public int replayAll(String stream, Target target) {
		Objects.requireNonNull(target, "target must not be null");
		byte[] key = utf8(this.keys.deadLetters(stream));
		try {
			return DeadLetterReplay.replayThoseThereNow(this.calls, key, REPLAY_BATCH,
					(id) -> replay(stream, id, target).isPresent());
		}
		catch (StreamUnavailableException ex) {
			throw ex;
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "list the dead letters", ex);
		}
	}

	@Override
	public long purge(String stream) {
		byte[] key = utf8(this.keys.deadLetters(stream));
		try {
			return this.calls.run((redis) -> {
				var length = redis.xlen(key);
				var deleted = redis.del(key);
				Long count = this.calls.await(length);
				this.calls.await(deleted);
				return (count != null) ? count : 0L;
			});
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "purge the dead letters", ex);
		}
	}

}
