package dev.redisstarter.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Function;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.PermissionRefusals;
import dev.redisstarter.core.RedisCalls;

/**
 * The cache's Redis commands, in bytes, on Lettuce's asynchronous API through the starter's shared connection
 * ({@link RedisCalls}): commands sent together are written without waiting for each other's replies, so a batch
 * costs one round trip per node (Lettuce routes each key to its Cluster node, and splits {@code MGET} by slot).
 * Every wait is bounded by the cache deadline; failures surface as Spring's {@link DataAccessException}s, as
 * they would through a template.
 */
final class CacheCommands {

	private final RedisCalls calls;

	CacheCommands(RedisCalls calls) {
		this.calls = calls;
	}

	LettuceConnectionFactory connectionFactory() {
		return this.calls.access().connectionFactory();
	}

	/** Where refusals of the starter's Redis user are recorded, for health. */
	PermissionRefusals permissions() {
		return this.calls.access().permissions();
	}

	/** Runs commands on the shared connection and waits for the futures they return. */
	<T> T send(Function<RedisClusterAsyncCommands<byte[], byte[]>, T> commands) {
		return this.calls.run(commands);
	}

	byte @Nullable [] get(byte[] key) {
		return send((redis) -> await(redis.get(key)));
	}

	/** The entry and its remaining time to live in milliseconds, in one round trip. */
	EntryWithTtl getWithTtl(byte[] key) {
		return send((redis) -> {
			RedisFuture<byte[]> value = redis.get(key);
			RedisFuture<Long> ttl = redis.pttl(key);
			return new EntryWithTtl(await(value), await(ttl));
		});
	}

	/** Values in the keys' order, {@code null} where missing: one {@code MGET} per slot, sent together. */
	List<byte @Nullable []> mget(List<byte[]> keys) {
		if (keys.isEmpty()) {
			return List.of();
		}
		List<KeyValue<byte[], byte[]>> found = send((redis) -> await(redis.mget(keys.toArray(byte[][]::new))));
		List<byte @Nullable []> values = new ArrayList<>(found.size());
		for (KeyValue<byte[], byte[]> pair : found) {
			values.add(pair.hasValue() ? pair.getValue() : null);
		}
		return values;
	}

	void set(byte[] key, byte[] value, long ttlMillis) {
		send((redis) -> await(redis.set(key, value, SetArgs.Builder.px(ttlMillis))));
	}

	/** Writes an entry unless the key holds one. */
	void setIfAbsent(byte[] key, byte[] value, long ttlMillis) {
		send((redis) -> await(redis.set(key, value, SetArgs.Builder.nx().px(ttlMillis))));
	}

	/** Writes many entries at once: the SETs are sent together and then awaited. */
	void setAll(List<byte[]> keys, List<byte[]> values, List<Long> ttlMillis) {
		send((redis) -> {
			List<RedisFuture<String>> replies = new ArrayList<>(keys.size());
			for (int i = 0; i < keys.size(); i++) {
				replies.add(redis.set(keys.get(i), values.get(i), SetArgs.Builder.px(ttlMillis.get(i))));
			}
			replies.forEach(this::await);
			return null;
		});
	}

	long delete(List<byte[]> keys) {
		if (keys.isEmpty()) {
			return 0;
		}
		Long removed = send((redis) -> await(redis.del(keys.toArray(byte[][]::new))));
		return (removed != null) ? removed : 0;
	}

	long unlink(List<byte[]> keys) {
		if (keys.isEmpty()) {
			return 0;
		}
		Long removed = send((redis) -> await(redis.unlink(keys.toArray(byte[][]::new))));
		return (removed != null) ? removed : 0;
	}

	/** Starts a script without waiting; {@link #awaitScript} finishes it (running it by text after NOSCRIPT). */
	RedisCalls.PendingScript<List<Object>> startScript(RedisClusterAsyncCommands<byte[], byte[]> redis,
			LuaScript<?> script, byte[][] keys, byte[]... args) {
		byte[][] keysAndArgs = new byte[keys.length + args.length][];
		System.arraycopy(keys, 0, keysAndArgs, 0, keys.length);
		System.arraycopy(args, 0, keysAndArgs, keys.length, args.length);
		return this.calls.startScript(redis, script, ScriptOutputType.MULTI, keys.length, keysAndArgs);
	}

	List<Object> awaitScript(RedisClusterAsyncCommands<byte[], byte[]> redis,
			RedisCalls.PendingScript<List<Object>> pending) {
		return this.calls.awaitScript(redis, pending, null);
	}

	/** Runs one script (array reply) and waits for it. */
	List<Object> script(LuaScript<?> script, byte[][] keys, byte[]... args) {
		return send((redis) -> awaitScript(redis, startScript(redis, script, keys, args)));
	}

	<T> T await(Future<T> future) {
		return this.calls.await(future);
	}

	/** An entry's bytes ({@code null} when missing) and its remaining life in ms (negative when none). */
	record EntryWithTtl(byte @Nullable [] value, @Nullable Long ttlMillis) {
	}

}
