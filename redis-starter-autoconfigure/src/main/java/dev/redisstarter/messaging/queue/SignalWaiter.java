package dev.redisstarter.messaging.queue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisListAsyncCommands;
import org.jspecify.annotations.Nullable;

import dev.redisstarter.core.DedicatedConnection;
import dev.redisstarter.core.RedisAccess;

/**
 * Waits for a queue's signal ({@code BLPOP} on {@code <queue>:signal}) on a {@link DedicatedConnection}, since a
 * blocking command would hold up every other command on the starter's shared connection. A wait that outlives its
 * timeout by the liveness timeout counts as a silent connection and replaces it. A wait ends on time by this JVM's
 * clock, not by Redis's timeout of the command, which Redis checks only at its cron ticks (up to 100 ms late at the
 * default {@code hz}): a delayed job on an idle worker starts when it is due. Used by one worker's fetching thread.
 */
final class SignalWaiter {

	private final RedisAccess access;

	private final byte[] key;

	private final DedicatedConnection connection;

	/** A BLPOP still blocked on the server from an earlier wait that this JVM's clock ended, or {@code null}. */
	private volatile @Nullable RedisFuture<KeyValue<byte[], byte[]>> blocked;

	/** When {@link #blocked} must have been answered (its timeout plus the liveness timeout), else the connection is silent. */
	private long answerDueNanos;

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
		long now = System.nanoTime();
		RedisFuture<KeyValue<byte[], byte[]>> waiting = this.blocked;
		if (waiting == null) {
			RedisListAsyncCommands<byte[], byte[]> redis = this.connection.commands();
			// BLPOP takes seconds with decimals (Redis 6+); 0 would block forever.
			waiting = redis.blpop(Math.max(0.01, millis / 1000.0), this.key);
			this.blocked = waiting;
			this.answerDueNanos = now
					+ TimeUnit.MILLISECONDS.toNanos(millis + this.access.settings().livenessTimeout().toMillis() + 1000);
		}
		long waitNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(millis), this.answerDueNanos - now);
		try {
			waiting.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
			// A signal, or the server's timeout.
			this.blocked = null;
		}
		catch (ExecutionException ex) {
			this.blocked = null;
			this.connection.drop();
			throw new IllegalStateException("Waiting for jobs failed: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			if (System.nanoTime() - this.answerDueNanos >= 0) {
				this.blocked = null;
				this.connection.drop();
				throw new IllegalStateException("No answer to BLPOP within "
						+ TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms", ex);
			}
			// Ended by this JVM's clock, on time for the delayed job that is due: Redis ends a blocking command's
			// timeout only at its next cron tick (hz 10: up to 100 ms late). The BLPOP stays blocked, and the next
			// wait goes on with it (a signal it took meanwhile ends that wait at once).
		}
	}

	/** Closes the connection (a waiting {@link #await} fails at once). */
	void close() {
		this.blocked = null;
		this.connection.close();
	}

}
