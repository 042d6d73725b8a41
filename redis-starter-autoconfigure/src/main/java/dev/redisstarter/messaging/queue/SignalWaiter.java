package dev.redisstarter.messaging.queue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.api.async.RedisListAsyncCommands;

import dev.redisstarter.core.DedicatedConnection;
import dev.redisstarter.core.RedisAccess;

/**
 * Waits for a queue's signal ({@code BLPOP} on {@code <queue>:signal}) on a {@link DedicatedConnection}, since a
 * blocking command would hold up every other command on the starter's shared connection. A wait that outlives its
 * timeout by the liveness timeout counts as a silent connection and replaces it.
 */
final class SignalWaiter {

	private final RedisAccess access;

	private final byte[] key;

	private final DedicatedConnection connection;

	SignalWaiter(RedisAccess access, String key) {
		this.access = access;
		this.key = key.getBytes(StandardCharsets.UTF_8);
		this.connection = new DedicatedConnection(access, "to wait for jobs");
	}

	/**
	 * Waits for a signal.
	 * @param millis the longest wait
	 * @throws InterruptedException when interrupted
	 * @throws IllegalStateException when Redis is away (the caller backs off)
	 */
	void await(long millis) throws InterruptedException {
		if (millis <= 0) {
			return;
		}
		RedisListAsyncCommands<byte[], byte[]> redis = this.connection.commands();
		// BLPOP takes seconds with decimals (Redis 6+); 0 would block forever.
		double seconds = Math.max(0.01, millis / 1000.0);
		long wait = millis + this.access.settings().livenessTimeout().toMillis() + 1000;
		try {
			redis.blpop(seconds, this.key).get(wait, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			this.connection.drop();
			throw new IllegalStateException("Waiting for jobs failed: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			this.connection.drop();
			throw new IllegalStateException("No answer to BLPOP within " + wait + " ms", ex);
		}
	}

	/** Closes the connection (a waiting {@link #await} fails at once). */
	void close() {
		this.connection.close();
	}

}
