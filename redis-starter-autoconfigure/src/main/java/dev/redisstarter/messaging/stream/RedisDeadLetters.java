package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.stream.RecordId;

import dev.redisstarter.core.RedisCalls;

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
		byte[] key = bytes(this.keys.deadLetters(stream));
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
	public long count(String stream) {
		byte[] key = bytes(this.keys.deadLetters(stream));
		try {
			Long length = this.calls.call((redis) -> redis.xlen(key));
			return (length != null) ? length : 0;
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "count the dead letters", ex);
		}
	}

	@Override
	public Optional<RecordId> replay(String stream, String deadLetterId) {
		Objects.requireNonNull(deadLetterId, "deadLetterId must not be null");
		StreamIds.compare(deadLetterId, "0-0");
		try {
			byte[] id = this.calls.script(this.scripts.replay(), ScriptOutputType.VALUE, 2,
					bytes(this.keys.deadLetters(stream)), bytes(this.keys.stream(stream)), bytes(deadLetterId),
					bytes(Long.toString(this.settings.apply(stream).maxLength())));
			return (id != null) ? Optional.of(RecordId.of(new String(id, StandardCharsets.UTF_8))) : Optional.empty();
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "replay a dead letter", ex);
		}
	}

	@Override
	public int replayAll(String stream) {
		int replayed = 0;
		while (true) {
			List<DeadLetter> batch = list(stream, REPLAY_BATCH);
			int before = replayed;
			for (DeadLetter letter : batch) {
				if (replay(stream, letter.id()).isPresent()) {
					replayed++;
				}
			}
			if (batch.size() < REPLAY_BATCH || replayed == before) {
				return replayed;
			}
		}
	}

	@Override
	public long purge(String stream) {
		byte[] key = bytes(this.keys.deadLetters(stream));
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

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
