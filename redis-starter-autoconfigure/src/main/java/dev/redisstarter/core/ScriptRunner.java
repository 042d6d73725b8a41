package dev.redisstarter.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

/**
 * Runs {@link LuaScript}s with arguments already encoded as bytes, straight on a connection from the factory:
 * {@code EVALSHA}, and on a {@code NOSCRIPT} reply (a restarted or failed-over server, another Cluster node)
 * {@code EVAL} once, which caches the script there again. For hot paths where {@code RedisTemplate}'s
 * serializers and result conversion cost more than the round trip's own client work.
 */
public final class ScriptRunner {

	private final RedisConnectionFactory connectionFactory;

	/**
	 * A runner.
	 * @param connectionFactory where connections come from (Boot's, so SSL, Sentinel and Cluster apply)
	 */
	public ScriptRunner(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
	}

	/**
	 * Runs a script that returns an array.
	 * @param script the script
	 * @param keyCount how many of {@code keysAndArgs} are keys (they come first)
	 * @param keysAndArgs keys, then arguments
	 * @return the reply: integers as {@link Long}, strings as {@code byte[]}
	 */
	@SuppressWarnings("unchecked")
	public List<Object> multi(LuaScript<?> script, int keyCount, byte[]... keysAndArgs) {
		return (List<Object>) run(script, ReturnType.MULTI, keyCount, keysAndArgs);
	}

	/**
	 * Runs a script that returns an integer.
	 * @param script the script
	 * @param keyCount how many of {@code keysAndArgs} are keys (they come first)
	 * @param keysAndArgs keys, then arguments
	 * @return the reply
	 */
	public @Nullable Long integer(LuaScript<?> script, int keyCount, byte[]... keysAndArgs) {
		return (Long) run(script, ReturnType.INTEGER, keyCount, keysAndArgs);
	}

	/**
	 * Runs a script that returns a string.
	 * @param script the script
	 * @param keyCount how many of {@code keysAndArgs} are keys (they come first)
	 * @param keysAndArgs keys, then arguments
	 * @return the reply as bytes
	 */
	public @Nullable Object run(LuaScript<?> script, int keyCount, byte[]... keysAndArgs) {
		return run(script, ReturnType.VALUE, keyCount, keysAndArgs);
	}

	private @Nullable Object run(LuaScript<?> script, ReturnType type, int keyCount, byte[]... keysAndArgs) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			try {
				return connection.scriptingCommands().evalSha(script.sha1(), type, keyCount, keysAndArgs);
			}
			catch (RuntimeException ex) {
				if (!isNoScript(ex)) {
					throw ex;
				}
				return connection.scriptingCommands()
					.eval(script.text().getBytes(StandardCharsets.UTF_8), type, keyCount, keysAndArgs);
			}
		}
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

}
