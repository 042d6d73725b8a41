package dev.redisstarter.sample.inventory;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import io.lettuce.core.ScriptOutputType;
import org.springframework.stereotype.Service;

import dev.redisstarter.core.Feature;
import dev.redisstarter.core.KeyNaming;
import dev.redisstarter.core.LuaScript;
import dev.redisstarter.core.RedisCalls;
import dev.redisstarter.lock.FencingToken;
import dev.redisstarter.lock.WithLock;

/**
 * Stock levels kept in Redis (hash {@code <prefix>inventory:<sku>}: stock, token), changed only under the
 * item's lock and written with the lock's fencing token, so a stale holder's write is refused.
 */
@Service
public class Inventory {

	private static final LuaScript<Long> FENCED_WRITE = LuaScript.load("dev/redisstarter/sample/fenced-write.lua",
			Long.class);

	private final RedisCalls redis;

	private final KeyNaming keys;

	/**
	 * Inventory on the starter's {@link RedisCalls} bean, so that its own commands answer within
	 * {@code redis.starter.application.timeout} and fail at once while the starter knows Redis is unreachable,
	 * like the starter's capabilities (a {@code StringRedisTemplate} would wait for the client's 60 s timeout).
	 */
	Inventory(RedisCalls redis, KeyNaming keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Sets the stock level.
	 * @param sku the item
	 * @param stock the new level
	 * @param token filled in by {@code @WithLock}
	 */
	@WithLock(key = "'inventory:' + #sku", waitTime = "10s")
	public void set(String sku, long stock, FencingToken token) {
		write(sku, stock, token);
	}

	/**
	 * Takes one unit.
	 * @param sku the item
	 * @param token filled in by {@code @WithLock}
	 * @return the stock left
	 * @throws SoldOutException when none is left
	 */
	@WithLock(key = "'inventory:' + #sku", waitTime = "20s")
	public long reserve(String sku, FencingToken token) {
		long stock = stock(sku).orElseThrow(() -> new SoldOutException(sku));
		if (stock <= 0) {
			throw new SoldOutException(sku);
		}
		write(sku, stock - 1, token);
		return stock - 1;
	}

	/**
	 * The stock level.
	 * @param sku the item
	 * @return the level, or empty for an unknown item
	 */
	public OptionalLong stock(String sku) {
		byte[] stock = this.redis.call((commands) -> commands.hget(bytes(key(sku)), bytes("stock")));
		return (stock != null) ? OptionalLong.of(Long.parseLong(new String(stock, StandardCharsets.UTF_8)))
				: OptionalLong.empty();
	}

	private void write(String sku, long stock, FencingToken token) {
		Long written = this.redis.script(FENCED_WRITE, ScriptOutputType.INTEGER, 1, bytes(key(sku)),
				bytes(Long.toString(stock)), bytes(Long.toString(token.value())));
		if (written == null || written != 1L) {
			throw new StaleWriteException(sku);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private String key(String sku) {
		// The sku comes from the path: bounded like the starter's own key parts (413 past it).
		this.keys.checkPart(Feature.APPLICATION, sku);
		return this.keys.prefix() + "inventory:" + sku;
	}

	/** No stock left. */
	public static class SoldOutException extends RuntimeException {

		SoldOutException(String sku) {
			super("'" + sku + "' is sold out");
		}

	}

	/** A write under a lock whose lease had ended, refused by its fencing token. */
	public static class StaleWriteException extends RuntimeException {

		StaleWriteException(String sku) {
			super("A newer lock holder has written '" + sku + "'; this write was refused");
		}

	}

}
