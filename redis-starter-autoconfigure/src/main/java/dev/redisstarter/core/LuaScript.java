package dev.redisstarter.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * A Lua script read once from the classpath, with its SHA1 computed once. The starter runs its scripts through
 * {@link RedisCalls#script} (bytes, the capability's deadline, {@code EVALSHA} then {@code EVAL} on
 * {@code NOSCRIPT}); being a {@link RedisScript}, it also runs through {@code RedisTemplate.execute(script, keys,
 * args...)}, which does the same without a deadline of its own.
 *
 * <p>Unlike a {@code RedisScript} built on a resource, nothing here touches the resource or takes a lock
 * after loading, so the hot path costs no more than the round trip.
 *
 * @param <T> the result type
 * @param location the classpath location, for messages
 * @param text the script
 * @param sha1 the script's SHA1 in lower-case hex
 * @param resultType the Java type of the result ({@code Long}, {@code List}, {@code Boolean}, {@code String})
 */
public record LuaScript<T>(String location, String text, String sha1, Class<T> resultType) implements RedisScript<T> {

	/**
	 * Loads a script from the classpath.
	 * @param <T> the result type
	 * @param location a classpath location such as {@code dev/redisstarter/lock/acquire.lua}
	 * @param resultType the Java type of the result
	 * @return the script
	 * @throws IllegalStateException when no such resource exists
	 */
	public static <T> LuaScript<T> load(String location, Class<T> resultType) {
		Objects.requireNonNull(resultType, "resultType must not be null");
		ClassLoader classLoader = LuaScript.class.getClassLoader();
		try (InputStream in = classLoader.getResourceAsStream(location)) {
			if (in == null) {
				throw new IllegalStateException("Lua script '" + location + "' is not on the classpath");
			}
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			return new LuaScript<>(location, text, sha1(text), resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read Lua script '" + location + "'", ex);
		}
	}

	private static String sha1(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is not available", ex);
		}
	}

	@Override
	public String getSha1() {
		return this.sha1;
	}

	@Override
	public Class<T> getResultType() {
		return this.resultType;
	}

	@Override
	public String getScriptAsString() {
		return this.text;
	}

	@Override
	public String toString() {
		return "LuaScript[" + this.location + "]";
	}

}
