package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.lettuce.core.ScriptOutputType;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.stream.RecordId;

import dev.redisstarter.core.JsonCodec;
import dev.redisstarter.core.RedisCalls;

import static dev.redisstarter.core.ScriptArgs.utf8;

/**
 * The {@link StreamPublisher}: one script per add ({@code add.lua}: {@code XADD} with {@code MAXLEN ~}, then
 * {@code XTRIM MINID ~} by the server's clock when an age bound is set).
 */
public final class RedisStreamPublisher implements StreamPublisher {

	static final String PAYLOAD = "payload";

	private final RedisCalls calls;

	private final StreamKeys keys;

	private final JsonCodec codec;

	private final StreamScripts scripts = StreamScripts.load();

	private final Function<String, StreamSettings> settings;

	/**
	 * A publisher.
	 * @param calls adds, with the streams deadline
	 * @param keys names the streams
	 * @param codec writes payloads
	 * @param settings each stream's settings
	 */
	public RedisStreamPublisher(RedisCalls calls, StreamKeys keys, JsonCodec codec,
			Function<String, StreamSettings> settings) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
		this.codec = Objects.requireNonNull(codec, "codec must not be null");
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
	}

	@Override
	public RecordId add(String stream, Object payload) {
		return add(stream, payload, Map.of());
	}

	@Override
	public RecordId add(String stream, Object payload, Map<String, String> fields) {
		String key = this.keys.stream(stream);
		StreamSettings settings = this.settings.apply(stream);
		List<byte[]> args = new ArrayList<>(6 + fields.size() * 2);
		args.add(utf8(key));
		args.add(utf8(Long.toString(settings.maxLength())));
		args.add(utf8((settings.maxAge() != null) ? Long.toString(settings.maxAge().toMillis()) : "0"));
		args.add(utf8(PAYLOAD));
		args.add(this.codec.encode(payload));
		fields.forEach((name, value) -> {
			if (name.equals(PAYLOAD) || name.startsWith("x-dead-")) {
				throw new IllegalArgumentException("A stream field must not be called '" + name + "'");
			}
			args.add(utf8(name));
			args.add(utf8(Objects.requireNonNull(value, "field " + name + " has no value")));
		});
		try {
			byte[] id = this.calls.script(this.scripts.add(), ScriptOutputType.VALUE, 1, args.toArray(byte[][]::new));
			return RecordId.of(new String(id, StandardCharsets.UTF_8));
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "add", ex);
		}
	}

}
