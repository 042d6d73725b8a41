package dev.redisstarter.core;

import java.util.List;
import java.util.Objects;

import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@link LuaScript}s with arguments already encoded as bytes, through a capability's {@link RedisCalls}
 * (so each run is bounded by the capability's deadline and refused at once while Redis is unreachable):
 * {@code EVALSHA}, and on a {@code NOSCRIPT} reply (a restarted or failed-over server, another Cluster node)
 * {@code EVAL} once, which caches the script there again. For hot paths where {@code RedisTemplate}'s
 * serializers and result conversion cost more than the round trip's own client work.
 */
public final class ScriptRunner {

	private final RedisCalls calls;

	/**
	 * A runner.
	 * @param calls the capability's calls
	 */
	public ScriptRunner(RedisCalls calls) {
		this.calls = Objects.requireNonNull(calls, "calls must not be null");
	}

	/**
	 * The calls this runner goes through.
	 * @return the capability's calls
	 */
	public RedisCalls calls() {
		return this.calls;
	}

	/**
	 * Runs a script that returns an array.
	 * @param script the script
	 * @param keyCount how many of {@code keysAndArgs} are keys (they come first)
	 * @param keysAndArgs keys, then arguments
	 * @return the reply: integers as {@link Long}, strings as {@code byte[]}
	 */
	public List<Object> multi(LuaScript<?> script, int keyCount, byte[]... keysAndArgs) {
		return this.calls.script(script, ScriptOutputType.MULTI, keyCount, keysAndArgs);
	}

	/**
	 * Runs a script that returns an integer.
	 * @param script the script
	 * @param keyCount how many of {@code keysAndArgs} are keys (they come first)
	 * @param keysAndArgs keys, then arguments
	 * @return the reply
	 */
	public @Nullable Long integer(LuaScript<?> script, int keyCount, byte[]... keysAndArgs) {
		return this.calls.script(script, ScriptOutputType.INTEGER, keyCount, keysAndArgs);
	}

	/**
	 * Runs a script that returns a string.
	 * @param script the script
	 * @param keyCount how many of {@code keysAndArgs} are keys (they come first)
	 * @param keysAndArgs keys, then arguments
	 * @return the reply as bytes
	 */
	public @Nullable Object run(LuaScript<?> script, int keyCount, byte[]... keysAndArgs) {
		return this.calls.script(script, ScriptOutputType.VALUE, keyCount, keysAndArgs);
	}

}
