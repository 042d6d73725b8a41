package dev.redisstarter.messaging.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import io.lettuce.core.ScriptOutputType;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.stream.RecordId;

import dev.redisstarter.core.InFlightLimit;
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

	/** Slots of addAsync calls waiting for Redis. */
	private final InFlightLimit asyncInFlight;

	/** How many addAsync calls may wait for Redis at once by default. */
	public static final int DEFAULT_MAX_ASYNC_IN_FLIGHT = 1000;

	/**
	 * A publisher.
	 * @param calls adds, with the streams deadline
	 * @param keys names the streams
	 * @param codec writes payloads
	 * @param settings each stream's settings
	 */
	public RedisStreamPublisher(RedisCalls calls, StreamKeys keys, JsonCodec codec,
			Function<String, StreamSettings> settings) {
		this(calls, keys, codec, settings, DEFAULT_MAX_ASYNC_IN_FLIGHT);
	}

	/**
	 * A publisher.
	 * @param calls adds, with the streams deadline
	 * @param keys names the streams
	 * @param codec writes payloads
	 * @param settings each stream's settings
	 * @param maxAsyncInFlight how many addAsync calls may wait for Redis at once
	 */
	public RedisStreamPublisher(RedisCalls calls, StreamKeys keys, JsonCodec codec,
			Function<String, StreamSettings> settings, int maxAsyncInFlight) {
		this.asyncInFlight = new InFlightLimit(maxAsyncInFlight, "redis.starter.stream.max-async-in-flight");
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
		byte[][] args = args(stream, payload, fields);
		try {
			byte[] id = this.calls.script(this.scripts.add(), ScriptOutputType.VALUE, 1, args);
			return RecordId.of(new String(id, StandardCharsets.UTF_8));
		}
		catch (DataAccessException ex) {
			throw new StreamUnavailableException(stream, "add", ex);
		}
	}

	@Override
	public CompletableFuture<RecordId> addAsync(String stream, Object payload, Map<String, String> fields) {
		byte[][] args = args(stream, payload, fields);
		try {
			this.asyncInFlight.enter(this.calls.deadline());
		}
		catch (DataAccessException ex) {
			return CompletableFuture.failedFuture(new StreamUnavailableException(stream, "add", ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return CompletableFuture.failedFuture(new StreamUnavailableException(stream, "add", ex));
		}
		CompletableFuture<byte[]> reply;
		try {
			reply = this.calls.scriptAsync(this.scripts.add(), ScriptOutputType.VALUE, 1, args);
		}
		catch (RuntimeException ex) {
			this.asyncInFlight.leave();
			throw ex;
		}
		return reply.handle((id, failure) -> {
			this.asyncInFlight.leave();
			if (failure != null) {
				Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure;
				throw new CompletionException((cause instanceof DataAccessException)
						? new StreamUnavailableException(stream, "add", cause) : cause);
			}
			return RecordId.of(new String(id, StandardCharsets.UTF_8));
		});
	}

	/** The add script's keys and arguments; bad input refused here, before anything is sent. */
	private byte[][] args(String stream, Object payload, Map<String, String> fields) {
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
		return args.toArray(byte[][]::new);
	}

}
