package dev.redisstarter.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.redisstarter.core.LuaScript;

/**
 * The cache's Redis commands, in bytes, on Lettuce's asynchronous API: commands sent together are written
 * without waiting for each other's replies, so a batch costs one round trip per node (Lettuce routes each key
 * to its Cluster node, and splits {@code MGET} by slot). Commands go over a connection of the cache's own, opened
 * with the factory's Lettuce client (so its URI, SSL, Sentinel or Cluster settings apply) on first use, which
 * spares every hit Spring's per-call connection wrapper; when the client cannot open one (a static
 * master/replica set-up), the factory's shared connection is used. Failures surface as Spring's
 * {@link DataAccessException}s, as they would through a template.
 */
final class CacheCommands implements AutoCloseable {

	private final LettuceConnectionFactory connectionFactory;

	private final Duration timeout;

	private volatile @Nullable StatefulConnection<byte[], byte[]> own;

	private volatile boolean shared;

	CacheCommands(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
		this.timeout = connectionFactory.getClientConfiguration().getCommandTimeout();
	}

	/** The cache's own connection's commands, opened on first use; {@code null} to use the shared one. */
	@SuppressWarnings("unchecked")
	private @Nullable RedisClusterAsyncCommands<byte[], byte[]> ownCommands() {
		StatefulConnection<byte[], byte[]> connection = this.own;
		if (connection == null) {
			if (this.shared) {
				return null;
			}
			connection = connect();
			if (connection == null) {
				return null;
			}
		}
		if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
			return cluster.async();
		}
		return ((StatefulRedisConnection<byte[], byte[]>) connection).async();
	}

	private synchronized @Nullable StatefulConnection<byte[], byte[]> connect() {
		if (this.own != null || this.shared) {
			return this.own;
		}
		AbstractRedisClient client = this.connectionFactory.getNativeClient();
		if (client == null) {
			return null;
		}
		try {
			if (client instanceof RedisClusterClient cluster) {
				this.own = cluster.connect(ByteArrayCodec.INSTANCE);
			}
			else if (client instanceof RedisClient standalone) {
				this.own = standalone.connect(ByteArrayCodec.INSTANCE);
			}
			else {
				this.shared = true;
			}
		}
		catch (RedisConnectionException ex) {
			throw translate(ex);
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			// A client without a default address (static master/replica): the factory's connection knows the way.
			this.shared = true;
		}
		return this.own;
	}

	@Override
	public void close() {
		StatefulConnection<byte[], byte[]> connection = this.own;
		if (connection != null) {
			connection.close();
		}
	}

	LettuceConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	/** Runs commands on the shared connection and waits for the futures they return. */
	<T> T send(Function<RedisClusterAsyncCommands<byte[], byte[]>, T> commands) {
		RedisClusterAsyncCommands<byte[], byte[]> own = ownCommands();
		if (own != null) {
			return commands.apply(own);
		}
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			@SuppressWarnings("unchecked")
			RedisClusterAsyncCommands<byte[], byte[]> async = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			return commands.apply(async);
		}
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
	PendingScript startScript(RedisClusterAsyncCommands<byte[], byte[]> redis, LuaScript<?> script, byte[][] keys,
			byte[]... args) {
		return new PendingScript(script, keys, args, redis.evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args));
	}

	List<Object> awaitScript(RedisClusterAsyncCommands<byte[], byte[]> redis, PendingScript pending) {
		try {
			return awaitRaw(pending.reply());
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof RedisNoScriptException)) {
				throw translate(ex.getCause());
			}
			RedisFuture<List<Object>> again = redis.eval(pending.script().text(), ScriptOutputType.MULTI,
					pending.scriptKeys(), pending.args());
			return await(again);
		}
	}

	/** Runs one script (array reply) and waits for it. */
	List<Object> script(LuaScript<?> script, byte[][] keys, byte[]... args) {
		return send((redis) -> awaitScript(redis, startScript(redis, script, keys, args)));
	}

	<T> T await(Future<T> future) {
		try {
			return awaitRaw(future);
		}
		catch (ExecutionException ex) {
			throw translate(ex.getCause());
		}
	}

	private <T> T awaitRaw(Future<T> future) throws ExecutionException {
		try {
			return future.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new QueryTimeoutException("Redis did not answer within " + this.timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			future.cancel(true);
			throw new RedisSystemException("Interrupted while waiting for Redis", ex);
		}
	}

	private static DataAccessException translate(@Nullable Throwable cause) {
		if (cause instanceof DataAccessException dataAccess) {
			return dataAccess;
		}
		String message = (cause != null) ? cause.getMessage() : "unknown failure";
		if (cause instanceof RedisCommandTimeoutException) {
			return new QueryTimeoutException(message, cause);
		}
		if (cause instanceof RedisConnectionException) {
			return new RedisConnectionFailureException(message, cause);
		}
		return new RedisSystemException(message, cause);
	}

	/** An entry's bytes ({@code null} when missing) and its remaining life in ms (negative when none). */
	record EntryWithTtl(byte @Nullable [] value, @Nullable Long ttlMillis) {
	}

	/** A script sent and not yet answered. */
	record PendingScript(LuaScript<?> script, byte[][] scriptKeys, byte[][] args, RedisFuture<List<Object>> reply) {
	}

}
